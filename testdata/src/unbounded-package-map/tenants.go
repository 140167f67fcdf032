package auth

import "sync"

var (
	quotaMu sync.Mutex
	// perTenant maps tenant -> resource -> units used. Writing into an inner
	// map reads the outer one; only the line that adds a tenant grows it.
	perTenant = map[string]map[string]int{}
)

func charge(tenant, resource string, units int) {
	quotaMu.Lock()
	defer quotaMu.Unlock()
	if perTenant[tenant] == nil {
		perTenant[tenant] = make(map[string]int) // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
	}
	perTenant[tenant][resource] += units
}

func usage(tenant, resource string) int {
	quotaMu.Lock()
	defer quotaMu.Unlock()
	return perTenant[tenant][resource]
}
