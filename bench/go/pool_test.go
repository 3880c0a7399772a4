// The worker pool of lesson 05 in Go, for bench/compare.sh: 3 workers, an
// unbuffered jobs channel fed by a producer goroutine, an unbuffered results
// channel drained by the caller, a done channel every wait also watches, and
// a closer that closes results once the workers have returned. The work is a
// multiplication, so the figure is the pool's own cost per job. Compiled
// together with ../../../shared/bench-go (same package).
package benchgo

import (
	"sync"
	"testing"
)

type poolResult struct {
	id, value int
}

func poolWorker(done <-chan struct{}, jobs <-chan int, results chan<- poolResult) {
	for {
		select {
		case <-done:
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			select {
			case results <- poolResult{j, j * j}:
			case <-done:
				return
			}
		}
	}
}

// b.N jobs through 3 workers; ns/op is the cost of one job.
func BenchmarkWorkerPool3(b *testing.B) {
	jobs := make(chan int)
	results := make(chan poolResult)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			poolWorker(done, jobs, results)
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < b.N; i++ {
			select {
			case jobs <- i:
			case <-done:
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	sum := 0
	for r := range results {
		sum += r.value
	}
	close(done)
	if sum < 0 {
		b.Fatal("impossible")
	}
}
