"""bench/wrk.py reads wrk's report for make bench and the soak test alike."""

from bench.wrk import figures

# wrk 4.1 against a path that answers 404, and a run with socket errors and a slow tail.
NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:8765/nothing-here
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.55ms    2.26ms  16.87ms   85.55%
    Req/Sec     0.89k   247.30     1.25k    60.00%
  Latency Distribution
     50%    1.70ms
     75%    3.57ms
     90%    5.72ms
     99%    9.99ms
  886 requests in 1.00s, 449.92KB read
  Non-2xx or 3xx responses: 886
Requests/sec:    885.64
Transfer/sec:    449.74KB
"""
SLOW = """\
Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Latency Distribution
     50%  812.00us
     75%    1.02s
     90%    1.50s
     99%    1.10m
  1200 requests in 10.00s, 9.80MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
Requests/sec:    119.95
"""


def test_requests_rate_and_latencies_in_milliseconds_are_read():
    assert figures(NOT_FOUND) == {
        "requests": 886,
        "requests_per_second": 885.64,
        "p50_ms": 1.7,
        "p75_ms": 3.57,
        "p90_ms": 5.72,
        "p99_ms": 9.99,
        "non_2xx": 886,
        "socket_errors": 0,
    }


def test_microseconds_seconds_minutes_and_socket_errors_are_read():
    found = figures(SLOW)

    assert (found["p50_ms"], found["p75_ms"], found["p90_ms"], found["p99_ms"]) == (
        0.81,
        1020.0,
        1500.0,
        66000.0,
    )
    assert (found["requests"], found["non_2xx"], found["socket_errors"]) == (1200, 0, 5)
