#!/usr/bin/env python3
"""Measures the authorization server and what token checking adds per request. Prints figures; asserts nothing.

Starts the README's stack from the built jars (the keycloak module's `demo` command: a local Keycloak with
the demo realm, and the gateway trusting it) on spare ports and a fresh data folder, with the development
identity header switched on as well, so that one gateway answers the same request identified either way:
  - Keycloak: time to answer (first start, including Quarkus' one-off build of the server) and resident memory;
  - per request: the same read (Patient/[id] as Tokyo Central, one kept-alive connection, sequential), with a
    bearer token (signature, issuer, audience, expiry checked) and with the unchecked header, in rounds that
    alternate between the two; median and p90 of each, and the difference.
Usage: benchmarks/token-benchmark.py [requests per round=300] [rounds=6]
"""
import http.client, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "keycloak/target/keycloak-0.1.0-SNAPSHOT-exec.jar")
GATEWAY = os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar")
REQUESTS, ROUNDS = [int(a) for a in (sys.argv[1:] + ["300", "6"][len(sys.argv) - 1:])][:2]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("", 0))  # all interfaces, as the servers bind
        return s.getsockname()[1]


# Ports the OS hands out, so a gateway or Keycloak already running on this machine is no obstacle.
GATEWAY_PORT = free_port()
KEYCLOAK_PORT = free_port()
while KEYCLOAK_PORT == GATEWAY_PORT:
    KEYCLOAK_PORT = free_port()
TOKYO, TOKYO_CLIENT, TOKYO_SECRET = "1311234567", "emr-1311234567", "demo-tokyo-central-secret"


def resident_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            return int(next(l for l in status if l.startswith("VmRSS:")).split()[1]) // 1024
    except (OSError, StopIteration):
        return 0


def keycloak_pid():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = open("/proc/%s/cmdline" % pid, "rb").read().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "kc.home.dir" in command and "--http-port=%d" % KEYCLOAK_PORT in command and "java" in command.split(" ")[0]:
            return int(pid)
    return None


def timed(connection, path, headers):
    start = time.perf_counter()
    connection.request("GET", "/fhir/" + path, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit("GET %s answered %d" % (path, response.status))
    return elapsed


def main():
    data = tempfile.mkdtemp()
    log_path = os.path.join(data, "stack.log")
    env = dict(os.environ, GATEWAY_DATA_DIR=data, SERVER_PORT=str(GATEWAY_PORT), GATEWAY_MANAGEMENT_PORT="0", KEYCLOAK_PORT=str(KEYCLOAK_PORT))
    stack = subprocess.Popen(["java", "-jar", LAUNCHER, "demo", "--gateway-jar", GATEWAY, "--",
                              "--gateway.identity.development-header-enabled=true"],
                             env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 600
        while "=== The gateway is ready" not in open(log_path, encoding="utf-8").read():
            if stack.poll() is not None or time.time() > deadline:
                raise SystemExit("the stack did not come up; see " + log_path)
            time.sleep(1)
        text = open(log_path, encoding="utf-8").read()
        ready = re.search(r"Keycloak ready in ([0-9.]+) s, ([0-9]+) MB resident", text)
        kc_log = open(os.path.join(data, "keycloak", "keycloak-%d.log" % KEYCLOAK_PORT), encoding="utf-8").read()
        build = re.search(r"augmentation completed in ([0-9]+)ms", kc_log)
        started = re.search(r"started in ([0-9.]+)s", kc_log)
        patient = re.search(r"user yoshida, password \S+ \(Patient/([0-9]+)\)", text).group(1)
        print("keycloak: answering after %s s (of which its one-off build %s s; Keycloak's own start %s s), %s MB resident then"
              % (ready.group(1), "%.1f" % (int(build.group(1)) / 1000) if build else "0", started.group(1) if started else "?",
                 ready.group(2)))

        form = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "system/*.rs"}).encode()
        request = urllib.request.Request("http://127.0.0.1:%d/realms/clins/protocol/openid-connect/token" % KEYCLOAK_PORT, data=form)
        request.add_header("Authorization", "Basic " + __import__("base64").b64encode(
            ("%s:%s" % (TOKYO_CLIENT, TOKYO_SECRET)).encode()).decode())
        token = json.loads(urllib.request.urlopen(request).read())["access_token"]

        modes = {"token": {"Authorization": "Bearer " + token, "Accept": "application/fhir+json"},
                 "header": {"X-Development-Institution-Code": TOKYO, "Accept": "application/fhir+json"}}
        connection = http.client.HTTPConnection("localhost", GATEWAY_PORT, timeout=60)
        path = "Patient/" + patient
        for headers in modes.values():  # warm-up: JIT, caches, the key set fetched once
            for _ in range(REQUESTS):
                timed(connection, path, headers)
        samples = {mode: [] for mode in modes}
        for _ in range(ROUNDS):
            for mode, headers in modes.items():
                samples[mode].extend(timed(connection, path, headers) for _ in range(REQUESTS))
        for mode, values in samples.items():
            values.sort()
            print("GET %s as Tokyo Central, identified by %-6s: median %.2f ms, p90 %.2f ms (%d requests)"
                  % (path, mode, statistics.median(values), values[int(len(values) * 0.9)], len(values)))
        median = {m: statistics.median(v) for m, v in samples.items()}
        print("token checking adds %.2f ms per request (median)" % (median["token"] - median["header"]))
        pid = keycloak_pid()
        if pid:
            print("keycloak resident memory after the run: %d MB" % resident_mb(pid))
    finally:
        stack.terminate()
        stack.wait(60)


if __name__ == "__main__":
    main()
