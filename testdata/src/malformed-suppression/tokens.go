// Package tokens shows suppression comments without a code or a reason.
package tokens

var issued = map[string]bool{}
var revoked = map[string]bool{}
var seen = map[string]int{}

func issue(tok string) {
	issued[tok] = true //mapguard:ignore MG201 // want "needs a rule code and a reason"
}

func revoke(tok string) {
	//mapguard:ignore // want "needs a rule code and a reason"
	revoked[tok] = true
}

// A complete directive is fine.
func see(tok string) {
	seen[tok]++ //mapguard:ignore MG201 tokens expire with the process, which restarts daily
}
