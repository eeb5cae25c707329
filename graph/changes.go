package graph

import (
	"github.com/orgraph/orgraph/graph/model"
	"github.com/orgraph/orgraph/internal/org"
)

// changeFromInput turns a ChangeInput, which must set exactly one kind, into
// a domain change.
func changeFromInput(in model.ChangeInput) (org.Change, error) {
	var out []org.Change
	if m := in.Move; m != nil {
		out = append(out, org.Change{Kind: org.ChangeMove, Node: m.Node, Under: m.Under})
	}
	if m := in.Remove; m != nil {
		out = append(out, org.Change{Kind: org.ChangeRemove, Node: m.Node})
	}
	if m := in.Create; m != nil {
		out = append(out, org.Change{Kind: org.ChangeCreate, NewNode: m.ID, Name: m.Name, NodeKind: m.Kind,
			Code: deref(m.Code), Type: deref(m.Type), Under: deref(m.Under), PartOf: deref(m.PartOf)})
	}
	if m := in.Rename; m != nil {
		out = append(out, org.Change{Kind: org.ChangeRename, Node: m.Node, Name: m.Name})
	}
	if m := in.Merge; m != nil {
		out = append(out, org.Change{Kind: org.ChangeMerge, Node: m.Node, Into: m.Into})
	}
	if m := in.Split; m != nil {
		out = append(out, org.Change{Kind: org.ChangeSplit, Node: m.Node, NewNode: m.NewID, Name: m.Name, Code: deref(m.Code), Duties: m.Duties})
	}
	if m := in.ReassignDuty; m != nil {
		out = append(out, org.Change{Kind: org.ChangeReassignDuty, Duty: m.Duty, To: m.To})
	}
	if m := in.AddCooperation; m != nil {
		out = append(out, org.Change{Kind: org.ChangeAddCooperation, From: m.From, To: m.To, Strength: deref(m.Strength), Scope: deref(m.Scope)})
	}
	for _, p := range []struct {
		in   *model.PairInput
		kind org.ChangeKind
	}{{in.RemoveCooperation, org.ChangeRemoveCooperation}, {in.AddTasking, org.ChangeAddTasking}, {in.RemoveTasking, org.ChangeRemoveTasking}} {
		if p.in != nil {
			out = append(out, org.Change{Kind: p.kind, From: p.in.From, To: p.in.To})
		}
	}
	if len(out) != 1 {
		return org.Change{}, org.Errorf(org.EINVALID, "a change sets exactly one kind (move, remove, create, …); this one sets %d", len(out))
	}
	out[0].Note = deref(in.Note)
	return out[0], nil
}
