package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// denied, when set (-deny PATH), is a property every object reports in its
// missingSet with a NoPermission fault, as vCenter does for a user who may
// not read it.
var denied string

// pagingPC honours RetrieveOptions.maxObjects with a token and
// ContinueRetrievePropertiesEx, which govmomi 0.24's simulator does not.
type pagingPC struct {
	simulator.PropertyCollector
	pages map[string][]types.ObjectContent
	max   int
	next  int
}

func installPager(m *simulator.Model) {
	ref := m.ServiceContent.PropertyCollector
	pc := simulator.Map.Get(ref).(*simulator.PropertyCollector)
	p := &pagingPC{}
	p.PropertyCollector.PropertyCollector = pc.PropertyCollector
	simulator.Map.Put(p)
}

func deny(objs []types.ObjectContent) {
	for i := range objs {
		o := &objs[i]
		kept := o.PropSet[:0]
		for _, p := range o.PropSet {
			if p.Name != denied {
				kept = append(kept, p)
				continue
			}
			o.MissingSet = append(o.MissingSet, types.MissingProperty{Path: p.Name,
				Fault: types.LocalizedMethodFault{Fault: &types.NoPermission{Object: o.Obj,
					PrivilegeId: "System.Read"}, LocalizedMessage: "Permission to perform this operation was denied."}})
		}
		o.PropSet = kept
	}
}

func (p *pagingPC) page(objs []types.ObjectContent) types.RetrieveResult {
	if p.max <= 0 || len(objs) <= p.max {
		return types.RetrieveResult{Objects: objs}
	}
	if p.pages == nil {
		p.pages = map[string][]types.ObjectContent{}
	}
	p.next++
	tok := fmt.Sprintf("page-%d", p.next)
	p.pages[tok] = objs[p.max:]
	return types.RetrieveResult{Objects: objs[:p.max], Token: tok}
}

func (p *pagingPC) RetrievePropertiesEx(ctx *simulator.Context, r *types.RetrievePropertiesEx) soap.HasFault {
	body := p.PropertyCollector.RetrievePropertiesEx(ctx, r).(*methods.RetrievePropertiesExBody)
	if body.Res == nil || body.Res.Returnval == nil {
		return body
	}
	p.max = int(r.Options.MaxObjects)
	if denied != "" {
		deny(body.Res.Returnval.Objects)
	}
	res := p.page(body.Res.Returnval.Objects)
	body.Res.Returnval = &res
	return body
}

func (p *pagingPC) ContinueRetrievePropertiesEx(ctx *simulator.Context, r *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	objs, ok := p.pages[r.Token]
	if !ok {
		body.Fault_ = simulator.Fault("unknown token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	delete(p.pages, r.Token)
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: p.page(objs)}
	return body
}
