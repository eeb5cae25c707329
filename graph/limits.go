package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Bounds on an operation's shape, checked before gqlgen's complexity walk,
// which re-walks a fragment at every spread: a query of 22 fragments, each
// spreading the next twice, is 4 million fields to that walk. These checks
// expand each fragment once (memoised), so they cost the size of the
// document, not of its expansion.
const (
	// MaxDepth bounds how deeply fields nest, fragments expanded.
	// GraphiQL's introspection query nests 13 levels.
	MaxDepth = 20
	// MaxMutationFields bounds the mutations one request may ask for.
	MaxMutationFields = 10
	// MaxStringBytes bounds every string argument, literal or variable,
	// but an ordinance's text (importOrdinance, admin only, bounded by the
	// body limit). The domain holds most strings to less (internal/org).
	MaxStringBytes = 10000
	// codeComplexity is gqlgen's code for a query beyond the complexity
	// limit; every bound on an operation's size answers with it.
	codeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"
	// codeBadInput is the code of malformed arguments and variables.
	codeBadInput = "BAD_USER_INPUT"
)

func init() {
	// An operation refused before it runs answers as gqlgen answers a
	// parse or validation error: HTTP 422 (400 for
	// application/graphql-response+json), no data.
	errcode.RegisterErrorType(codeComplexity, errcode.KindProtocol)
	errcode.RegisterErrorType(codeBadInput, errcode.KindProtocol)
}

// operationLimits refuses, before any other work, an operation whose
// expansion selects more fields than the complexity limit allows (each
// field costs at least 1, so such an operation could never pass), nests
// deeper than MaxDepth, or asks for more than MaxMutationFields mutations;
// and variables whose enum values are not spelled exactly as the schema
// does (gqlparser accepts "reports_to" for REPORTS_TO, and the generated
// code then reads it as nothing).
type operationLimits struct {
	maxFields int
	schema    *ast.Schema
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &operationLimits{}

func (*operationLimits) ExtensionName() string { return "OperationLimits" }

func (l *operationLimits) Validate(es graphql.ExecutableSchema) error {
	l.schema = es.Schema()
	return nil
}

func (l *operationLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if err := l.exactEnums(op); err != nil {
		return err
	}
	m := measure{doc: op.Doc, frags: map[string]*size{}, vars: map[string]bool{}}
	s := m.selections(op.Operation.SelectionSet)
	if m.long != "" {
		return refuse(codeBadInput, "%s takes at most %d bytes", m.long, MaxStringBytes)
	}
	for name, checked := range m.vars {
		if where := longString(op.Variables[name], "$"+name); checked && where != "" {
			return refuse(codeBadInput, "%s takes at most %d bytes", where, MaxStringBytes)
		}
	}
	switch {
	case s.fields > l.maxFields:
		return refuse(codeComplexity, "operation selects %d fields once its fragments are expanded, which exceeds the limit of %d", s.fields, l.maxFields)
	case s.depth > MaxDepth:
		return refuse(codeComplexity, "operation nests %d levels deep, which exceeds the limit of %d", s.depth, MaxDepth)
	}
	if op.Operation.Operation == ast.Mutation {
		if n := len(graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Mutation"})); n > MaxMutationFields {
			return refuse(codeComplexity, "operation asks for %d mutations, which exceeds the limit of %d per request", n, MaxMutationFields)
		}
	}
	return nil
}

func refuse(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// size is a selection set's expansion: how many fields, how deep.
type size struct{ fields, depth int }

// measure sizes selection sets, each fragment once, and looks at the
// strings the arguments give on the way.
type measure struct {
	doc   *ast.QueryDocument
	frags map[string]*size
	// vars: the variables the arguments use, and whether their strings
	// are bounded (all but an ordinance's text).
	vars map[string]bool
	// long names the first literal string argument over MaxStringBytes.
	long string
}

// arguments notes the variables a field's arguments use and the literal
// strings too long.
func (m *measure) arguments(f *ast.Field) {
	for _, arg := range f.Arguments {
		bounded := !(f.Name == "importOrdinance" && arg.Name == "text")
		m.value(arg.Value, f.Name+"("+arg.Name+")", bounded)
	}
}

func (m *measure) value(v *ast.Value, where string, bounded bool) {
	if v == nil {
		return
	}
	switch v.Kind {
	case ast.Variable:
		m.vars[v.Raw] = m.vars[v.Raw] || bounded
	case ast.StringValue, ast.BlockValue:
		if bounded && len(v.Raw) > MaxStringBytes && m.long == "" {
			m.long = where
		}
	case ast.ListValue, ast.ObjectValue:
		for _, c := range v.Children {
			m.value(c.Value, where, bounded)
		}
	}
}

// longString names the first string in a variable's value longer than
// MaxStringBytes, or returns "".
func longString(v any, where string) string {
	switch v := v.(type) {
	case string:
		if len(v) > MaxStringBytes {
			return where
		}
	case []any:
		for i, el := range v {
			if w := longString(el, fmt.Sprintf("%s[%d]", where, i)); w != "" {
				return w
			}
		}
	case map[string]any:
		for k, el := range v {
			if w := longString(el, where+"."+k); w != "" {
				return w
			}
		}
	}
	return ""
}

// saturate keeps counts from overflowing on adversarial documents.
const saturate = 1 << 40

func (m *measure) selections(set ast.SelectionSet) size {
	var total size
	for _, sel := range set {
		var s size
		switch sel := sel.(type) {
		case *ast.Field:
			m.arguments(sel)
			s = m.selections(sel.SelectionSet)
			s.fields++
			s.depth++
		case *ast.InlineFragment:
			s = m.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			s = m.fragment(sel)
		}
		total.fields = min(total.fields+s.fields, saturate)
		total.depth = max(total.depth, s.depth)
	}
	return total
}

func (m *measure) fragment(spread *ast.FragmentSpread) size {
	if s, ok := m.frags[spread.Name]; ok {
		if s == nil { // a cycle: validation refuses these first
			return size{fields: saturate, depth: saturate}
		}
		return *s
	}
	def := spread.Definition
	if def == nil {
		def = m.doc.Fragments.ForName(spread.Name)
	}
	if def == nil {
		return size{}
	}
	m.frags[spread.Name] = nil
	s := m.selections(def.SelectionSet)
	m.frags[spread.Name] = &s
	return s
}

// exactEnums checks every enum value in the operation's variables against
// the schema's spelling.
func (l *operationLimits) exactEnums(op *graphql.OperationContext) *gqlerror.Error {
	for _, v := range op.Operation.VariableDefinitions {
		val, ok := op.Variables[v.Variable]
		if !ok {
			continue
		}
		if err := l.checkEnums(v.Type, val, "$"+v.Variable); err != nil {
			return err
		}
	}
	return nil
}

func (l *operationLimits) checkEnums(t *ast.Type, val any, where string) *gqlerror.Error {
	if val == nil || t == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := val.([]any)
		if !ok { // a single value stands for a list of one
			return l.checkEnums(t.Elem, val, where)
		}
		for i, el := range list {
			if err := l.checkEnums(t.Elem, el, fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
		return nil
	}
	def := l.schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		s, _ := val.(string)
		if def.EnumValues.ForName(s) == nil {
			return refuse(codeBadInput, "%s: %q is not a value of %s (%s)", where, fmt.Sprint(val), def.Name, enumNames(def))
		}
	case ast.InputObject:
		obj, ok := val.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if err := l.checkEnums(f.Type, obj[f.Name], where+"."+f.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

func enumNames(def *ast.Definition) string {
	s := ""
	for i, v := range def.EnumValues {
		if i > 0 {
			s += ", "
		}
		s += v.Name
	}
	return s
}
