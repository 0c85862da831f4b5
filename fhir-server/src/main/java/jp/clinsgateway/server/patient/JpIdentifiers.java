package jp.clinsgateway.server.patient;

import java.util.regex.Pattern;

/** The identifier systems of Japan's sharing service and their formats. */
public final class JpIdentifiers {
    /** The cross-institution key: {@code insurer(8 digits):symbol:number:branch(2 digits or empty)}. */
    public static final String INSURANCE_MEMBER_ID = "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID";
    /** Prefix of a local patient ID system; the digit 1 and the 10-digit institution code follow. */
    public static final String LOCAL_PATIENT_ID_PREFIX = "urn:oid:1.2.392.100495.20.3.51.1";
    public static final String INSTITUTION_NUMBER = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    public static final String INSURER_NUMBER = "http://jpfhir.jp/fhir/core/mhlw/IdSystem/InsurerNumber";
    public static final String RESOURCE_INSTANCE = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier";
    /** A JP_Bundle_CLINS report's identifier ({@code Bundle.identifier}): {@code <institution code>^<year>^<id>}. */
    public static final String BUNDLE_IDENTIFIER = "http://jpfhir.jp/fhir/clins/bundle-identifier";

    /** Prefecture (2 digits), fee-table code (1-3), 7 digits: the JP-CLINS rule for institution codes. */
    public static final Pattern INSTITUTION_CODE = Pattern.compile("[0-4][0-9][1-3][0-9]{7}");

    private JpIdentifiers() {
    }

    public static String localPatientIdSystem(String institutionCode) {
        return LOCAL_PATIENT_ID_PREFIX + institutionCode;
    }

    public static boolean isInstitutionCode(String value) {
        return value != null && INSTITUTION_CODE.matcher(value).matches();
    }
}
