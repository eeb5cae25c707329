package org

// ApplyChangesByCopy is the oracle ApplyChanges is checked against.
var ApplyChangesByCopy = applyChangesByCopy

// CompareEverything is the oracle CompareStructures is checked against.
var CompareEverything = compareEverything
