package observe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// CheckEndpoint accepts what OTEL_EXPORTER_OTLP_ENDPOINT may hold for the
// OTLP/HTTP exporter: an http or https URL.
func CheckEndpoint(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want the collector's OTLP/HTTP base URL, such as http://127.0.0.1:4318")
	}
	return nil
}

// Tracing returns the tracer provider the standard OTEL_* variables ask
// for: spans batched to an OTLP/HTTP collector when endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT) is set, and nil, tracing off, when it is
// not. The exporter and the SDK read the other variables themselves
// (OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_TRACES_SAMPLER, ...). Export failures are logged to log. shutdown
// flushes the spans still held.
func Tracing(ctx context.Context, endpoint string, log *slog.Logger) (trace.TracerProvider, func(context.Context) error, error) {
	if endpoint == "" {
		return nil, func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("tracing: %w", err)
	}
	// The variables (OTEL_SERVICE_NAME, ...) come after the default name, so
	// that they override it.
	res, err := resource.New(ctx, resource.WithAttributes(attribute.String("service.name", "orgraph")),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, nil, fmt.Errorf("tracing: %w", err)
	}
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "err", err) }))
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return tp, tp.Shutdown, nil
}

// GraphQL is a gqlgen extension that makes each operation a span,
// "query Name" as OpenTelemetry's GraphQL conventions name it, whose
// children are the store calls its resolvers make.
func (o *Observer) GraphQL() graphql.HandlerExtension { return graphqlTracer{o.tracer} }

type graphqlTracer struct{ tracer trace.Tracer }

var _ graphql.ResponseInterceptor = graphqlTracer{}

func (graphqlTracer) ExtensionName() string                          { return "OpenTelemetry" }
func (graphqlTracer) Validate(schema graphql.ExecutableSchema) error { return nil }

func (t graphqlTracer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation == nil {
		return next(ctx) // refused before an operation was chosen: the server span tells
	}
	op := graphql.GetOperationContext(ctx).Operation
	name := string(op.Operation)
	if op.Name != "" {
		name += " " + op.Name
	}
	ctx, span := t.tracer.Start(ctx, name, trace.WithAttributes(
		attribute.String("graphql.operation.type", string(op.Operation)), attribute.String("graphql.operation.name", op.Name)))
	defer span.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		var cs []string
		for _, e := range resp.Errors {
			if c, ok := e.Extensions["code"].(string); ok {
				cs = append(cs, c)
			}
		}
		span.SetAttributes(attribute.StringSlice("graphql.error.codes", cs))
		span.SetStatus(codes.Error, resp.Errors[0].Message)
	}
	return resp
}
