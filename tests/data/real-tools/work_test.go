// SPDX-License-Identifier: GPL-3.0-or-later

package work

import (
	"sync"
	"testing"
)

func TestWork(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() { defer wg.Done(); Hash(300000) }()
	}
	for i := 0; i < 20; i++ {
		SortFloats(100000)
		BuildString(100000)
	}
	wg.Wait()
}
