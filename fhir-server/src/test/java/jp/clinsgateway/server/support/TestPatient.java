package jp.clinsgateway.server.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A patient for one test: a member ID no other test uses, and a name (kanji family and given).
 *
 * @param memberId insurance member ID, {@code insurer:symbol:number:branch}
 */
public record TestPatient(String memberId, String family, String given) {

    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000));

    public static TestPatient aPatient() {
        return named("試験", "太郎");
    }

    public static TestPatient named(String family, String given) {
        return new TestPatient("06139991:T:" + NEXT.incrementAndGet() + ":00", family, given);
    }

    /** An insurer number (8 digits) no other test uses. */
    public static String anInsurer() {
        return "3" + String.format("%07d", NEXT.incrementAndGet() % 10_000_000);
    }

    /** A patient insured by this insurer (the member ID's first part). */
    public static TestPatient memberOf(String insurer) {
        TestPatient p = aPatient();
        return new TestPatient(insurer + p.memberId().substring(8), p.family(), p.given());
    }

    public TestPatient withName(String newFamily, String newGiven) {
        return new TestPatient(memberId, newFamily, newGiven);
    }

    public String fullName() {
        return family + " " + given;
    }
}
