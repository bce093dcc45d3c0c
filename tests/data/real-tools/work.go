// SPDX-License-Identifier: GPL-3.0-or-later

package work

import (
	"crypto/sha256"
	"sort"
	"strings"
)

func Hash(n int) [32]byte {
	h := sha256.Sum256([]byte("x"))
	for i := 0; i < n; i++ {
		h = sha256.Sum256(h[:])
	}
	return h
}

func SortFloats(n int) int {
	a := make([]float64, n)
	for i := range a {
		a[i] = float64((i * 7919) % 10007)
	}
	sort.Float64s(a)
	return len(a)
}

func BuildString(n int) int {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("abcdefgh")
	}
	return len(b.String())
}
