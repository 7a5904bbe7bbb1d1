package main

import (
	"os"
	"strings"
	"testing"
)

// readmeGrants returns the statements of the README's tested grants snippet.
func readmeGrants(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "<!-- grants:mariadb:begin -->")
	j := strings.Index(s, "<!-- grants:mariadb:end -->")
	if i < 0 || j < i {
		t.Fatal("README.md: grants:mariadb markers missing")
	}
	block := s[i:j]
	block = block[strings.Index(block, "```sql")+len("```sql") : strings.LastIndex(block, "```")]
	var stmts []string
	var cur strings.Builder
	for _, line := range strings.Split(block, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		cur.WriteString(line + " ")
		if strings.HasSuffix(line, ";") {
			stmts = append(stmts, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if len(stmts) == 0 {
		t.Fatal("README.md: empty grants snippet")
	}
	return stmts
}
