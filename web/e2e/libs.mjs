// What the browser tests' pages load (internal/e2e/testdata): the chart
// libraries as their own documentation uses them, nothing of orgraph's.
export * as d3 from 'd3';
export { OrgChart } from 'd3-org-chart';
export { default as cytoscape } from 'cytoscape';
