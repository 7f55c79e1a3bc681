"""wrk, the HTTP load generator the benchmarks share (`apt-get install wrk`): one run against a
URL of 127.0.0.1, and the figures read from its report."""

import re
import subprocess

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url, seconds, connections, threads, script=None):
    """wrk's report of `seconds` of requests to `url` (a Lua `script` may choose the paths and
    print what it counted); bounded in time whatever the server does."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout=30s",
    ]
    if script:
        command += ["-s", str(script)]
    return subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout


def figures(report):
    """Requests, requests per second, latency percentiles in milliseconds (None when wrk
    printed none), responses other than 2xx or 3xx, and socket errors, from wrk's report."""
    found = {
        "requests": int(re.search(r"(\d+) requests in", report)[1]),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", report)[1]),
    }
    for percentile in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{percentile}%\s+(\S+)", report, re.MULTILINE)
        found[f"p{percentile}_ms"] = milliseconds(match[1]) if match else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    found["non_2xx"] = int(errors[1]) if errors else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    found["socket_errors"] = sum(map(int, sockets.groups())) if sockets else 0
    return found


def milliseconds(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return round(float(match[1]) * UNITS[match[2]], 2)
