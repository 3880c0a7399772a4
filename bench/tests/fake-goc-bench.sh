#!/bin/sh
# Stands in for goc_bench in the tests of trace-on-cost.sh: prints, as
# goc_bench --benchmark_format=json would, one workload traced and untraced
# (10 and 15 ns per op), a round trip, and the two-thread Mutex, which the
# runs listed in SKIP_RUNS (their numbers, counted in COUNT_FILE) skip as
# goc_bench does when its goroutines never share two cores. The runs listed
# in SLOW_RUNS take 4000 ns for the round trip, as on a busy host.
n=$(( $(cat "$COUNT_FILE" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$COUNT_FILE"
trip=400
case " $SLOW_RUNS " in *" $n "*) trip=4000 ;; esac
two='"ns_per_op": 10.0, "at_once": 1.5'
two_traced='"ns_per_op": 15.0, "at_once": 1.5'
case " $SKIP_RUNS " in
  *" $n "*)
    two='"error_occurred": true, "error_message": "the two goroutines never ran on two cores at once"'
    two_traced=$two ;;
esac
cat <<JSON
{"benchmarks": [
 {"name": "BM_ThreadRoundTrip/1000000/iterations:1/real_time", "ns_per_op": $trip.0},
 {"name": "BM_BufferedSPSC/200000/iterations:1/real_time", "ns_per_op": 10.0},
 {"name": "Traced<BM_BufferedSPSC>/200000/iterations:1/real_time", "ns_per_op": 15.0},
 {"name": "BM_MutexTwoThreads/400000/iterations:1/manual_time", $two},
 {"name": "Traced<BM_MutexTwoThreads>/400000/iterations:1/manual_time", $two_traced}
]}
JSON
