#!/usr/bin/env python3
"""Consented reads under load on PostgreSQL: the access log must never starve the reads. Prints figures; exits 1
if any answer was >= 500 or a read that was answered is missing from the access log.

Starts a throwaway PostgreSQL cluster (Debian's `postgresql` package: `apt-get install postgresql`; run as root it
runs the server as the `postgres` user) and the built gateway jar on it (free ports, demo data off, development
identity headers on, the default pool of 20 connections). Tokyo Central submits PATIENTS patients with ten lab
results each; each patient consents to Osaka for lab results. Then READERS threads read as Osaka for SECONDS
seconds, each request a search of one patient's lab results (audited: one access-log entry per read, written
after the read's own database work, never on a second connection). Afterwards the access log must hold an entry
for every answered read.
Usage: benchmarks/read-load-benchmark.py [readers=100] [seconds=60] [patients=20]
Needs the jar: mvn -q -B install -DskipTests
"""
import glob, http.client, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("GATEWAY_JAR", os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar"))
READERS, SECONDS, PATIENTS = [int(a) for a in (sys.argv[1:] + ["100", "60", "20"][len(sys.argv) - 1:])][:3]
OSAKA = "2711234568"
STARTUP_SECONDS = int(os.environ.get("STARTUP_SECONDS", "900"))  # a busy machine needs longer

import importlib.util
_spec = importlib.util.spec_from_file_location("consent_benchmark_parts", os.path.join(ROOT, "benchmarks/consent-benchmark.py"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres(work):
    """A PostgreSQL cluster of its own in `work`; answers (port, stop)."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        sys.exit("No PostgreSQL server binaries: apt-get install postgresql")
    bin_dir = os.path.dirname(bins[-1])
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = os.path.join(work, "pg")
    os.makedirs(data)
    if as_user:
        shutil.chown(work, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(as_user + [bin_dir + "/initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(as_user + [bin_dir + "/pg_ctl", "-D", data, "-l", os.path.join(work, "pg.log"), "-w", "-o",
                              "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=100" % (port, work), "start"],
                   check=True, stdout=subprocess.DEVNULL)
    return port, lambda: subprocess.run(as_user + [bin_dir + "/pg_ctl", "-D", data, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)


def get(port, path, headers):
    with urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers=headers), timeout=60) as r:
        return r.status, r.read()


def wait_ready(port, process):
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("the gateway stopped during start")
        try:
            if get(port, "/readyz", {})[0] == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    sys.exit("the gateway was not ready in time")


def reader(port, patients, until, results, index):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    n = index
    while time.time() < until:
        patient = patients[n % len(patients)]
        n += 1
        start = time.perf_counter()
        try:
            connection.request("GET", "/fhir/Observation?patient=%s&_count=20" % patient,
                               headers={"X-Development-Institution-Code": OSAKA, "Accept": "application/fhir+json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except Exception:
            status = 599  # no answer at all counts as a server failure
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        results.append((status, time.perf_counter() - start))
    connection.close()


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))]


def main():
    if not os.path.exists(JAR):
        sys.exit("Build the jar first: mvn -q -B install -DskipTests")
    parts = importlib.util.module_from_spec(_spec)
    sys.argv = sys.argv[:1]  # the consent benchmark reads its own arguments at import
    _spec.loader.exec_module(parts)
    work = tempfile.mkdtemp(prefix="read-load-")
    os.chmod(work, 0o777)
    pg_port, stop_pg = postgres(work)
    port, management = free_port(), free_port()
    log = open(os.path.join(work, "gateway.log"), "w")
    started = time.time()
    gateway = subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, "--server.port=%d" % port, "--management.server.port=%d" % management,
                                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/postgres" % pg_port,
                                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                                "--gateway.startup.demo-data=false", "--gateway.identity.development-header-enabled=true"],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(port, gateway)
        print("gateway ready on PostgreSQL in %.1f s" % (time.time() - started))
        patients = []
        for i in range(PATIENTS):
            parts.MEMBER = "06139991:B:%d:%02d" % ((int(time.time()) + i) % 100000, i % 100)
            patient = parts.submit(port, parts.items("Bundle-clins-lab-yoshida-tokyo.json", 10))
            parts.consent_for_labs(port, patient)
            patients.append(patient)
        operator = {"X-Development-Operator": "yes", "Accept": "application/fhir+json"}
        logged_before = json.loads(get(port, "/fhir/AuditEvent?_total=accurate&_count=0", operator)[1])["total"]
        results = []
        until = time.time() + SECONDS
        threads = [threading.Thread(target=reader, args=(port, patients, until, results, i)) for i in range(READERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        logged_after = json.loads(get(port, "/fhir/AuditEvent?_total=accurate&_count=0", operator)[1])["total"]
        statuses = {}
        for status, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        latencies = sorted(1000 * t for _, t in results)
        answered = statuses.get(200, 0)
        failures = sum(n for s, n in statuses.items() if s >= 500)
        print("%d readers for %d s: %d requests, %.0f/s; statuses %s" % (READERS, SECONDS, len(results), len(results) / SECONDS,
                                                                          dict(sorted(statuses.items()))))
        print("latency ms: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f" % (percentile(latencies, 50), percentile(latencies, 95),
                                                                       percentile(latencies, 99), latencies[-1]))
        print("access log: %d entries written during the run for %d answered reads" % (logged_after - logged_before, answered))
        metrics = get(management, "/actuator/prometheus", {})[1].decode()
        for line in metrics.splitlines():
            if line.startswith(("hikaricp_connections_max", "hikaricp_connections_timeout_total", "gateway_audit_writes_total")):
                print("  " + line)
        ok = failures == 0 and logged_after - logged_before >= answered
        print("PASS" if ok else "FAIL: %d answers >= 500; %d reads without an access-log entry" % (
            failures, max(0, answered - (logged_after - logged_before))))
        return 0 if ok else 1
    finally:
        gateway.terminate()
        try:
            gateway.wait(60)
        except subprocess.TimeoutExpired:
            gateway.kill()
        stop_pg()
        log.close()
        if os.environ.get("KEEP_LOGS"):
            print("logs in", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
