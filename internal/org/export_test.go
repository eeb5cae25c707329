package org

// ApplyChangesByCopy is the oracle ApplyChanges is checked against.
var ApplyChangesByCopy = applyChangesByCopy
