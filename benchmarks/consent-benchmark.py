#!/usr/bin/env python3
"""Measures what consent enforcement costs on the read path. Prints figures; asserts nothing.

For each of two runs of the built gateway jar (enforcement on, then off; each on a fresh embedded
database, demo data off), one patient gets VISIBLE lab results and HIDDEN infection tests from
Tokyo Central; Osaka holds a consent for lab results only. Then, for the same query
(Observation?patient=...&_count=50, as Osaka):
  - throughput: requests/s over a fixed time with several client threads;
  - latency: median and p90 of sequential requests,
with HIDDEN hidden records, and again after the hidden share grows 10x.
Usage: benchmarks/consent-benchmark.py [visible=50] [hidden=50] [seconds=15] [threads=4]
"""
import copy, json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar")
EXAMPLES = os.path.join(ROOT, "ig/src/main/fhir/example")
TOKYO, OSAKA = "1311234567", "2711234568"
VISIBLE, HIDDEN, SECONDS, THREADS = [int(a) for a in (sys.argv[1:] + ["50", "50", "15", "4"][len(sys.argv) - 1:])][:4]
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


def measure(port, patient):
    query = "Observation?patient=%s&_count=50" % patient
    headers = {"X-Development-Institution-Code": OSAKA}
    for _ in range(20):
        request(port, "GET", query, headers=headers)
    latencies = []
    for _ in range(100):
        t = time.perf_counter()
        request(port, "GET", query, headers=headers)
        latencies.append((time.perf_counter() - t) * 1000)
    done = [0] * THREADS
    stop = time.time() + SECONDS

    def worker(i):
        while time.time() < stop:
            request(port, "GET", query, headers=headers)
            done[i] += 1
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    total = request(port, "GET", query + "&_summary=count", headers=headers)["total"]
    return {"median_ms": statistics.median(latencies), "p90_ms": statistics.quantiles(latencies, n=10)[8],
            "throughput_rps": sum(done) / SECONDS, "returned_total": total}


def run(enforcement):
    data = tempfile.mkdtemp()
    port = 18300 + (1 if enforcement else 2)
    log = open(os.path.join(data, "gateway.log"), "w")
    server = subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, "--gateway.startup.demo-data=false",
                               "--gateway.consent.enforcement-enabled=%s" % str(enforcement).lower()],
                              env=dict(os.environ, SERVER_PORT=str(port), GATEWAY_DATA_DIR=data), stdout=log, stderr=subprocess.STDOUT)
    try:
        while "Started GatewayApplication" not in open(log.name).read():
            if server.poll() is not None:
                sys.exit(open(log.name).read())
            time.sleep(0.5)
        patient = submit(port, items("Bundle-clins-lab-yoshida-tokyo.json", VISIBLE))
        submit(port, items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN))
        consent_for_labs(port, patient)
        small = measure(port, patient)
        submit(port, items("Bundle-clins-infection-takahashi-tokyo.json", HIDDEN * 9))
        large = measure(port, patient)
        return small, large
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-q", "-B", "-ntp", "install", "-DskipTests"], cwd=ROOT, check=True)
    print("patient: %d visible lab results; hidden infection tests %d, then %d; %d threads x %d s" % (VISIBLE, HIDDEN, HIDDEN * 10, THREADS, SECONDS))
    on_small, on_large = run(True)
    off_small, off_large = run(False)
    for name, figures in [("enforcement ON,  hidden x1 ", on_small), ("enforcement ON,  hidden x10", on_large),
                          ("enforcement OFF, hidden x1 ", off_small), ("enforcement OFF, hidden x10", off_large)]:
        print("%s: %6.1f req/s  median %6.1f ms  p90 %6.1f ms  (Osaka's search total %d)" % (
            name, figures["throughput_rps"], figures["median_ms"], figures["p90_ms"], figures["returned_total"]))
    print("throughput on/off (hidden x1): %.2fx" % (on_small["throughput_rps"] / off_small["throughput_rps"]))
    print("latency on, hidden x10 / x1: %.2fx" % (on_large["median_ms"] / on_small["median_ms"]))
    print("latency on/off (hidden x1): %.2fx" % (on_small["median_ms"] / off_small["median_ms"]))
