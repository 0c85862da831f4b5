#!/usr/bin/env python3
"""kill -9 during concurrent $submits on PostgreSQL: every acknowledged submission must be whole after the restart,
and none partial. Prints figures; exits 1 if an acknowledged report is not whole, any report is partial, or an answer
before the kill was >= 500.

Starts a throwaway PostgreSQL cluster (Debian's `postgresql` package, as read-load-benchmark.py) and the built gateway
jar on it (free ports, demo data off, development identity headers on). CLIENTS threads are each one Tokyo Central
patient (their own insurance member ID): each first sends one report alone (to learn the gateway Patient), then all
send reports one after another - the example lab, diagnosis and allergy Bundles of ig/src/main/fhir/example/, each
with a fresh report identifier and fresh item identifiers - until, KILL_AFTER seconds in, the gateway is killed with
SIGKILL mid-flight. The gateway is started again on the same database and every report is looked for as its author
would: its items by the report's tag (`report|<Bundle.identifier>`) and by their item identifiers.
- acknowledged (2xx before the kill): every item present, exactly once, by tag and by identifier;
- no answer (in flight at the kill): whole or absent, never partial;
- refused (4xx): absent.
Usage: benchmarks/crash-benchmark.py [clients=8] [kill_after=20]
Needs the jar: mvn -q -B install -DskipTests
"""
import http.client, importlib.util, json, os, random, shutil, subprocess, sys, tempfile, threading, time, urllib.error, urllib.parse, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("GATEWAY_JAR", os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar"))
EXAMPLES = os.path.join(ROOT, "ig/src/main/fhir/example")
CLIENTS, KILL_AFTER = [int(a) for a in (sys.argv[1:] + ["8", "20"][len(sys.argv) - 1:])][:2]
TOKYO = "1311234567"
AS_TOKYO = {"X-Development-Institution-Code": TOKYO, "Accept": "application/fhir+json"}
REPORT_TAG = "http://clinsgateway.jp/fhir/CodeSystem/report"
ITEM_IDENTIFIER = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier"
REPORTS = ["Bundle-clins-lab-yoshida-tokyo.json", "Bundle-clins-condition-yoshida-tokyo.json", "Bundle-clins-allergy-yoshida-tokyo.json"]

# The throwaway PostgreSQL cluster, free ports and readiness wait of the read-load benchmark.
_spec = importlib.util.spec_from_file_location("read_load_benchmark", os.path.join(ROOT, "benchmarks/read-load-benchmark.py"))
_argv, sys.argv = sys.argv, sys.argv[:1]
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)
sys.argv = _argv


def report_for(client, example):
    """The example report, for this client's patient, under a new report identifier with new item identifiers."""
    bundle = json.load(open(os.path.join(EXAMPLES, example), encoding="utf-8"))
    bundle.pop("id", None)
    bundle["identifier"]["value"] = "%s^2026^R%s" % (TOKYO, uuid.uuid4().hex[:24])
    patient = bundle["entry"][0]["resource"]
    for identifier in patient["identifier"]:
        if identifier["system"].endswith("JP_Insurance_memberID"):
            identifier["value"] = client["member"]
        else:
            identifier["value"] = client["local_id"]
    items = []
    for entry in bundle["entry"][1:]:
        for identifier in entry["resource"]["identifier"]:
            if identifier["system"] == ITEM_IDENTIFIER:
                identifier["value"] = "%s^2026^%s" % (TOKYO, uuid.uuid4().hex[:20])
                items.append(identifier["value"])
    return {"bundle": bundle, "type": bundle["entry"][1]["resource"]["resourceType"], "report": bundle["identifier"]["value"],
            "items": items, "client": client, "outcome": None}


def send(port, sent, timeout=120):
    """POST $submit; the status, or None when no answer came (the gateway died under it)."""
    body = json.dumps(sent["bundle"], ensure_ascii=False).encode("utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/fhir/$submit", body, {**AS_TOKYO, "Content-Type": "application/fhir+json"})
        response = connection.getresponse()
        answer = response.read()
        return response.status, answer
    except Exception:
        return None, b""
    finally:
        connection.close()


def search(port, path):
    try:
        status, body = cluster.get(port, "/fhir/" + path, AS_TOKYO)
    except urllib.error.HTTPError as refused:
        sys.exit("the search %s was refused: HTTP %d %s" % (path, refused.code, refused.read()[:500]))
    return json.loads(body)


def found_items(port, sent):
    """The item identifiers stored under the report's tag, and how many of its item identifiers find exactly one item."""
    patient = sent["client"]["patient"]
    tag = urllib.parse.quote("%s|%s" % (REPORT_TAG, sent["report"]), safe="")
    by_tag = search(port, "%s?patient=%s&_tag=%s&_count=50" % (sent["type"], patient, tag))
    tagged = [i["value"] for e in by_tag.get("entry", []) for i in e["resource"].get("identifier", []) if i["system"] == ITEM_IDENTIFIER]
    found = 0
    for value in sent["items"]:
        token = urllib.parse.quote("%s|%s" % (ITEM_IDENTIFIER, value), safe="")
        if len(search(port, "%s?patient=%s&identifier=%s" % (sent["type"], patient, token)).get("entry", [])) == 1:
            found += 1
    return sorted(tagged), found


def start(port, management, pg_port, log):
    return subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, "--server.port=%d" % port, "--management.server.port=%d" % management,
                             "--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/postgres" % pg_port,
                             "--spring.datasource.username=postgres", "--spring.datasource.password=",
                             "--gateway.startup.demo-data=false", "--gateway.identity.development-header-enabled=true"],
                            stdout=log, stderr=subprocess.STDOUT)


def main():
    if not os.path.exists(JAR):
        sys.exit("Build the jar first: mvn -q -B install -DskipTests")
    work = tempfile.mkdtemp(prefix="crash-")
    os.chmod(work, 0o777)
    pg_port, stop_pg = cluster.postgres(work)
    port, management = cluster.free_port(), cluster.free_port()
    logs = [open(os.path.join(work, "gateway-%d.log" % n), "w") for n in (1, 2)]
    gateway = None
    try:
        started = time.time()
        gateway = start(port, management, pg_port, logs[0])
        cluster.wait_ready(port, gateway)
        print("gateway ready on PostgreSQL in %.1f s" % (time.time() - started))
        run = int(time.time()) % 100000
        clients = [{"member": "06139991:C:%d:%02d" % (run, n), "local_id": "K%d-%02d" % (run, n)} for n in range(CLIENTS)]
        every = []
        for client in clients:
            first = report_for(client, REPORTS[0])
            status, answer = send(port, first)
            assert status == 200, (status, answer[:500])
            first["outcome"] = "acknowledged"
            client["patient"] = next(e["response"]["location"] for e in json.loads(answer)["entry"]
                                     if e["response"]["location"].startswith("Patient/")).split("/_history")[0]
            every.append(first)

        killed = threading.Event()
        server_errors = []
        lock = threading.Lock()

        def submitter(client, n):
            while not killed.is_set():
                sent = report_for(client, REPORTS[n % len(REPORTS)])
                n += 1
                with lock:
                    every.append(sent)
                status, answer = send(port, sent)
                if status is None:
                    sent["outcome"] = "no answer"
                elif 200 <= status < 300:
                    sent["outcome"] = "acknowledged"
                else:
                    sent["outcome"] = "refused"
                    if status >= 500 and not killed.is_set():
                        server_errors.append((status, answer[:300]))

        threads = [threading.Thread(target=submitter, args=(c, i)) for i, c in enumerate(clients)]
        storm = time.time()
        for t in threads:
            t.start()
        time.sleep(KILL_AFTER * (0.75 + random.random() / 2))  # not on a round boundary
        killed.set()
        gateway.kill()  # SIGKILL: no shutdown hook, no transaction finished
        gateway.wait()
        kill_at = time.time() - storm
        for t in threads:
            t.join()
        acknowledged = [s for s in every if s["outcome"] == "acknowledged"]
        unanswered = [s for s in every if s["outcome"] == "no answer"]
        refused = [s for s in every if s["outcome"] == "refused"]
        print("%d clients; killed with SIGKILL %.1f s into the storm: %d reports sent (%d items), %d acknowledged, "
              "%d in flight without an answer, %d refused" % (CLIENTS, kill_at, len(every), sum(len(s["items"]) for s in every),
                                                             len(acknowledged), len(unanswered), len(refused)))

        started = time.time()
        gateway = start(port, management, pg_port, logs[1])
        cluster.wait_ready(port, gateway)
        print("restarted on the same database, ready in %.1f s" % (time.time() - started))
        whole, absent, partial, missing = [], [], [], []
        for sent in every:
            tagged, by_identifier = found_items(port, sent)
            expected = sorted(sent["items"])
            if tagged == expected and by_identifier == len(expected):
                whole.append(sent)
            elif not tagged and by_identifier == 0:
                absent.append(sent)
            else:
                partial.append(sent)
                print("  PARTIAL %s %s: %d of %d items by tag, %d by identifier" % (sent["outcome"], sent["report"], len(tagged),
                                                                                   len(expected), by_identifier))
        acknowledged_whole = sum(1 for s in whole if s["outcome"] == "acknowledged")
        missing = [s for s in acknowledged if s not in whole]
        refused_stored = [s for s in refused if s not in absent]
        print("acknowledged: %d, present whole after the restart: %d, missing or partial: %d"
              % (len(acknowledged), acknowledged_whole, len(missing)))
        print("in flight at the kill: %d, present whole: %d, absent: %d"
              % (len(unanswered), sum(1 for s in whole if s["outcome"] == "no answer"),
                 sum(1 for s in absent if s["outcome"] == "no answer")))
        print("refused: %d, of which stored: %d; answers >= 500 before the kill: %d" % (len(refused), len(refused_stored), len(server_errors)))
        print("partial reports (must be 0): %d" % len(partial))
        for status, answer in server_errors[:3]:
            print("  %d %s" % (status, answer))
        ok = not partial and not missing and not refused_stored and not server_errors
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if gateway is not None and gateway.poll() is None:
            gateway.terminate()
            try:
                gateway.wait(60)
            except subprocess.TimeoutExpired:
                gateway.kill()
        stop_pg()
        for log in logs:
            log.close()
        if os.environ.get("KEEP_LOGS"):
            print("logs in", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
