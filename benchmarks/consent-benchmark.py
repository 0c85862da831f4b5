#!/usr/bin/env python3
"""Measures what consent enforcement costs on the read path. Prints figures; asserts nothing.

Two servers from the built gateway jar run side by side (enforcement on, and off; each on a fresh
embedded database, demo data off). On each, one patient gets VISIBLE lab results and HIDDEN infection tests from
Tokyo Central; Osaka holds a consent for lab results only. Then, for the same query
(Observation?patient=...&_count=50, as Osaka):
  - throughput: requests/s over a fixed time with several client threads;
  - latency: median and p90 of sequential requests,
with HIDDEN hidden records, and again after the hidden share grows 10x; after a warm-up, in rounds
that alternate between the two servers.
Usage: benchmarks/consent-benchmark.py [visible=50] [hidden=50] [seconds=15] [threads=4]
"""
import copy, json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar")
EXAMPLES = os.path.join(ROOT, "ig/src/main/fhir/example")
TOKYO, OSAKA = "1311234567", "2711234568"
VISIBLE, HIDDEN, SECONDS, THREADS = [int(a) for a in (sys.argv[1:] + ["50", "50", "15", "4"][len(sys.argv) - 1:])][:4]
WARMUP_SECONDS, ROUNDS, LATENCY_REQUESTS = 5, 4, 50
MEMBER = "06139991:B:%d:00" % (int(time.time()) % 100000)


def request(port, method, path, body=None, headers=None):
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    req = urllib.request.Request("http://localhost:%d/fhir/%s" % (port, path), data=data, method=method,
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


def measure(port, patient, seconds):
    """One round: latency of sequential requests, then throughput under THREADS clients."""
    query = "Observation?patient=%s&_count=50" % patient
    headers = {"X-Development-Institution-Code": OSAKA}
    latencies = []
    for _ in range(LATENCY_REQUESTS):
        t = time.perf_counter()
        request(port, "GET", query, headers=headers)
        latencies.append((time.perf_counter() - t) * 1000)
    done = [0] * THREADS
    stop = time.time() + seconds

    def worker(i):
        while time.time() < stop:
            request(port, "GET", query, headers=headers)
            done[i] += 1
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    total = request(port, "GET", query + "&_summary=count", headers=headers)["total"]
    return {"latencies": latencies, "throughput_rps": sum(done) / seconds, "returned_total": total}


class Gateway:
    """The built jar on a fresh embedded database, demo data off."""

    def __init__(self, enforcement):
        self.data = tempfile.mkdtemp()
        self.port = 18300 + (1 if enforcement else 2)
        self.log = os.path.join(self.data, "gateway.log")
        self.process = subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, "--gateway.startup.demo-data=false", "--gateway.identity.development-header-enabled=true",
                                         "--gateway.consent.enforcement-enabled=%s" % str(enforcement).lower()],
                                        env=dict(os.environ, SERVER_PORT=str(self.port), GATEWAY_DATA_DIR=self.data),
                                        stdout=open(self.log, "w"), stderr=subprocess.STDOUT)

    def wait_until_started(self):
        while "Started GatewayApplication" not in open(self.log).read():
            if self.process.poll() is not None:
                sys.exit(open(self.log).read())
            time.sleep(0.5)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def compare(gateways, patients):
    """Rounds alternate between the two servers, so drift (JIT, caches, the machine) hits both alike."""
    for name, gateway in gateways.items():  # warm-up, not counted
        measure(gateway.port, patients[name], WARMUP_SECONDS)
    rounds = {name: [] for name in gateways}
    for _ in range(ROUNDS):
        for name, gateway in gateways.items():
            rounds[name].append(measure(gateway.port, patients[name], SECONDS / ROUNDS))
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
    gateways = {"ON": Gateway(True), "OFF": Gateway(False)}
    try:
        patients = {}
        for name, gateway in gateways.items():
            gateway.wait_until_started()
            patients[name] = submit(gateway.port, items("Bundle-clins-lab-yoshida-tokyo.json", VISIBLE))
            submit(gateway.port, items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN))
            consent_for_labs(gateway.port, patients[name])
        small = compare(gateways, patients)
        for name, gateway in gateways.items():
            submit(gateway.port, items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN * 9))
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
