#!/usr/bin/env python3
"""Measures what consent enforcement costs on the read path. Prints figures; asserts nothing about them.

Two servers from the built gateway jar run side by side (enforcement on, and off; each on a fresh
embedded database, demo data off, on a free port the OS hands out; ready when /fhir/metadata answers).
Both get the same records: one patient with VISIBLE lab results and HIDDEN infection tests from
Tokyo Central; Osaka holds a consent for lab results only. As Osaka, the on server is asked
Observation?patient=...&_count=50 and narrows it itself (_tag, the labels Osaka may see); the off
server narrows nothing, so it is asked for exactly the same rows: the same query with that _tag
filter added (share-category|lab-result or author-institution|<Osaka>). Before timing, both servers'
answers (all pages) are checked to hold the same resource ids and the same total; if not, the
script stops. Then, for those queries:
  - throughput: requests/s over a fixed time with several client threads;
  - latency: median and p90 of sequential requests,
with HIDDEN hidden records, and again after the hidden share grows 10x (checked again first);
after a warm-up, in rounds that alternate between the two servers.
Usage: benchmarks/consent-benchmark.py [visible=50] [hidden=50] [seconds=15] [threads=4]
"""
import copy, json, os, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.error, urllib.parse, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar")
EXAMPLES = os.path.join(ROOT, "ig/src/main/fhir/example")
TOKYO, OSAKA = "1311234567", "2711234568"
VISIBLE, HIDDEN, SECONDS, THREADS = [int(a) for a in (sys.argv[1:] + ["50", "50", "15", "4"][len(sys.argv) - 1:])][:4]
WARMUP_SECONDS, ROUNDS, LATENCY_REQUESTS = 5, 4, 50
MEMBER = "06139991:B:%d:00" % (int(time.time()) % 100000)
CODE_SYSTEM = "http://clinsgateway.jp/fhir/CodeSystem/"
# What Osaka may see of the patient with a lab-result consent: the labels the on server narrows to
# (ReadAuthorization.narrowSearch, tags as in ShareLabels), as (system, code).
OSAKA_VISIBLE_LABELS = [(CODE_SYSTEM + "share-category", "lab-result"), (CODE_SYSTEM + "author-institution", OSAKA)]
STARTUP_SECONDS = 600


def fhir_escape(value):
    """A token's system or code inside a search value: FHIR escapes \\ , $ | with a backslash."""
    for c in "\\,$|":
        value = value.replace(c, "\\" + c)
    return value


# The _tag value: an OR list (comma-separated) of system|code.
OSAKA_TAG = ",".join("%s|%s" % (fhir_escape(system), fhir_escape(code)) for system, code in OSAKA_VISIBLE_LABELS)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("", 0))  # all interfaces, as the server binds
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    """path is relative to the server's /fhir/, or (a paging link) a full URL."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    url = path if path.startswith("http") else "http://localhost:%d/fhir/%s" % (port, path)
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=120) as response:
        return json.loads(response.read())


def items(example, count):
    """The example CLINS bundle, for the benchmark patient, with `count` copies of its first item."""
    bundle = json.load(open(os.path.join(EXAMPLES, example), encoding="utf-8"))
    bundle.pop("id", None)
    bundle["identifier"]["value"] = "%s^2026^%s" % (TOKYO, uuid.uuid4())
    patient = bundle["entry"][0]
    for identifier in patient["resource"]["identifier"]:
        if identifier["system"].endswith("JP_Insurance_memberID"):
            identifier["value"] = MEMBER
    template = bundle["entry"][1]
    bundle["entry"] = [patient]
    for _ in range(count):
        item = copy.deepcopy(template)
        item["fullUrl"] = "urn:uuid:%s" % uuid.uuid4()
        for identifier in item["resource"]["identifier"]:
            if identifier["system"].endswith("resourceInstance-identifier"):
                identifier["value"] = "%s^2026^%s" % (TOKYO, uuid.uuid4().hex[:20])
        bundle["entry"].append(item)
    return bundle


def submit(port, bundle):
    # $submit in chunks of 100 items keeps each Bundle a realistic size
    entries = bundle["entry"]
    patient = None
    for start in range(1, len(entries), 100):
        chunk = dict(bundle, entry=[entries[0]] + entries[start:start + 100],
                     identifier={"system": bundle["identifier"]["system"], "value": "%s^2026^%s" % (TOKYO, uuid.uuid4())})
        receipt = request(port, "POST", "$submit", chunk, {"X-Development-Institution-Code": TOKYO})
        patient = next(e["response"]["location"] for e in receipt["entry"] if e["response"]["location"].startswith("Patient/"))
    return patient.split("/_history")[0]


def consent_for_labs(port, patient):
    consent = {"resourceType": "Consent", "meta": {"profile": ["http://clinsgateway.jp/fhir/StructureDefinition/patient-consent"]},
               "status": "active",
               "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
               "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "INFA"}]}],
               "patient": {"reference": patient}, "dateTime": "2026-11-24T10:00:00+09:00",
               "policy": [{"uri": "http://clinsgateway.jp/fhir/ImplementationGuide/clins-gateway"}],
               "provision": {"type": "permit", "period": {"start": "2026-01-01T00:00:00+09:00"},
                             "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP"}]},
                                        "reference": {"identifier": {"system": "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", "value": OSAKA}}}],
                             "code": [{"coding": [{"system": "http://clinsgateway.jp/fhir/CodeSystem/share-category", "code": "lab-result"}]}]}}
    request(port, "POST", "Consent", consent, {"X-Development-Patient": patient})


def query(name, patient, count=50):
    """Osaka's search; for the off server, which narrows nothing, with the on server's _tag filter added."""
    parameters = [("patient", patient), ("_count", str(count))] + ([("_tag", OSAKA_TAG)] if name == "OFF" else [])
    return "Observation?" + urllib.parse.urlencode(parameters)


AS_OSAKA = {"X-Development-Institution-Code": OSAKA}


def answer(port, search):
    """All pages of a search: its resource ids and the Bundle's total."""
    page = request(port, "GET", search, headers=AS_OSAKA)
    total, ids = page.get("total"), []
    while True:
        ids += ["%s/%s" % (e["resource"]["resourceType"], e["resource"]["id"]) for e in page.get("entry", [])]
        link = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
        if link is None:
            return ids, total
        page = request(port, "GET", link, headers=AS_OSAKA)


def check_same_rows(gateways, patients, phase):
    """Precondition, not timed: both servers answer with the same resource ids and the same total."""
    answers = {name: answer(gateway.port, query(name, patients[name], count=1000)) for name, gateway in gateways.items()}
    (on_ids, on_total), (off_ids, off_total) = answers["ON"], answers["OFF"]
    problems = []
    if patients["ON"] != patients["OFF"]:
        problems.append("the patient is %s on the on server and %s on the off server" % (patients["ON"], patients["OFF"]))
    for name, (ids, total) in answers.items():
        if len(set(ids)) != len(ids):
            problems.append("the %s server returned some ids twice" % name)
        if total != len(ids):
            problems.append("the %s server's total is %s but it returned %d resources" % (name, total, len(ids)))
    if set(on_ids) != set(off_ids):
        problems.append("ids only on the on server: %s; only on the off server: %s" % (
            sorted(set(on_ids) - set(off_ids))[:10], sorted(set(off_ids) - set(on_ids))[:10]))
    if on_total != off_total:
        problems.append("total %s on the on server, %s on the off server" % (on_total, off_total))
    if not on_ids:
        problems.append("Osaka's search returned nothing")
    if problems:
        sys.exit("the two servers do not return the same rows (%s), so timing them would not compare like with like:\n  %s"
                 % (phase, "\n  ".join(problems)))
    print("%s: both servers return the same %d ids, total %d" % (phase, len(on_ids), on_total))


def measure(port, name, patient, seconds):
    """One round: latency of sequential requests, then throughput under THREADS clients."""
    query_ = query(name, patient)
    headers = AS_OSAKA
    latencies = []
    for _ in range(LATENCY_REQUESTS):
        t = time.perf_counter()
        request(port, "GET", query_, headers=headers)
        latencies.append((time.perf_counter() - t) * 1000)
    done = [0] * THREADS
    stop = time.time() + seconds

    def worker(i):
        while time.time() < stop:
            request(port, "GET", query_, headers=headers)
            done[i] += 1
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    total = request(port, "GET", query_ + "&_summary=count", headers=headers)["total"]
    return {"latencies": latencies, "throughput_rps": sum(done) / seconds, "returned_total": total}


class Gateway:
    """The built jar on a fresh embedded database, demo data off."""

    def __init__(self, enforcement, port):
        self.data = tempfile.mkdtemp()
        self.port = port
        self.log = os.path.join(self.data, "gateway.log")
        self.process = subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, "--gateway.startup.demo-data=false", "--management.server.port=0", "--gateway.identity.development-header-enabled=true",
                                         "--gateway.consent.enforcement-enabled=%s" % str(enforcement).lower()],
                                        env=dict(os.environ, SERVER_PORT=str(self.port), GATEWAY_DATA_DIR=self.data),
                                        stdout=open(self.log, "w"), stderr=subprocess.STDOUT)

    def wait_until_started(self):
        """Until /fhir/metadata answers 200; stops the script if the server exits or never answers."""
        deadline = time.time() + STARTUP_SECONDS
        while True:
            if self.process.poll() is not None:
                sys.exit(open(self.log).read() + "\nthe gateway on port %d exited (log: %s)" % (self.port, self.log))
            try:
                with urllib.request.urlopen("http://localhost:%d/fhir/metadata" % self.port, timeout=10) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.time() > deadline:
                sys.exit("the gateway on port %d did not answer /fhir/metadata within %d s (log: %s)" % (self.port, STARTUP_SECONDS, self.log))
            time.sleep(0.5)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def compare(gateways, patients):
    """Rounds alternate between the two servers, so drift (JIT, caches, the machine) hits both alike."""
    for name, gateway in gateways.items():  # warm-up, not counted
        measure(gateway.port, name, patients[name], WARMUP_SECONDS)
    rounds = {name: [] for name in gateways}
    for _ in range(ROUNDS):
        for name, gateway in gateways.items():
            rounds[name].append(measure(gateway.port, name, patients[name], SECONDS / ROUNDS))
    return {name: {"median_ms": statistics.median(l for r in results for l in r["latencies"]),
                   "p90_ms": statistics.quantiles([l for r in results for l in r["latencies"]], n=10)[8],
                   "throughput_rps": statistics.mean(r["throughput_rps"] for r in results),
                   "returned_total": results[-1]["returned_total"]}
            for name, results in rounds.items()}


if __name__ == "__main__":
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-q", "-B", "-ntp", "install", "-DskipTests"], cwd=ROOT, check=True)
    print("patient: %d visible lab results; hidden infection tests %d, then %d; %d threads, %d s per server and size in %d rounds"
          % (VISIBLE, HIDDEN, HIDDEN * 10, THREADS, SECONDS, ROUNDS))
    print("the off server is asked for the on server's rows: _tag=%s" % OSAKA_TAG)
    on_port = free_port()
    off_port = free_port()
    while off_port == on_port:
        off_port = free_port()
    gateways = {"ON": Gateway(True, on_port), "OFF": Gateway(False, off_port)}
    try:
        # the same records on both servers: each Bundle made once, submitted to both in the same order
        visible, hidden = items("Bundle-clins-lab-yoshida-tokyo.json", VISIBLE), items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN)
        patients = {}
        for name, gateway in gateways.items():
            gateway.wait_until_started()
            patients[name] = submit(gateway.port, visible)
            submit(gateway.port, hidden)
            consent_for_labs(gateway.port, patients[name])
        check_same_rows(gateways, patients, "hidden x1")
        small = compare(gateways, patients)
        more_hidden = items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN * 9)
        for name, gateway in gateways.items():
            submit(gateway.port, more_hidden)
        check_same_rows(gateways, patients, "hidden x10")
        large = compare(gateways, patients)
    finally:
        for gateway in gateways.values():
            gateway.stop()
    for name, figures in [("enforcement ON,  hidden x1 ", small["ON"]), ("enforcement ON,  hidden x10", large["ON"]),
                          ("enforcement OFF, hidden x1 ", small["OFF"]), ("enforcement OFF, hidden x10", large["OFF"])]:
        print("%s: %6.1f req/s  median %6.1f ms  p90 %6.1f ms  (Osaka's search total %d)" % (
            name, figures["throughput_rps"], figures["median_ms"], figures["p90_ms"], figures["returned_total"]))
    print("throughput on/off: hidden x1 %.2fx, hidden x10 %.2fx" % (
        small["ON"]["throughput_rps"] / small["OFF"]["throughput_rps"], large["ON"]["throughput_rps"] / large["OFF"]["throughput_rps"]))
    print("latency on/off: hidden x1 %.2fx, hidden x10 %.2fx" % (
        small["ON"]["median_ms"] / small["OFF"]["median_ms"], large["ON"]["median_ms"] / large["OFF"]["median_ms"]))
    print("latency with enforcement on, hidden x10 / x1: %.2fx" % (large["ON"]["median_ms"] / small["ON"]["median_ms"]))
