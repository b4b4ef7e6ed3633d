import Foundation

/// `documentation/leverans.txt`: how this delivery is arranged and which choices Diarium
/// made where the specifications leave room, for the archivist who receives it (CSIP asks
/// for documentation in the package, and the mapping is Diarium's reading, not Riksarkivet's).
struct DeliveryDocumentation {
    let delivery: FGSDelivery

    func text() -> Data {
        let d = delivery
        return Data("""
            Leverans \(d.packageID)
            \(d.agency.name) (\(d.agency.identificationCode)), sociala medier \(d.period)
            Skapad \(d.dateTime(d.createdAt)) av Diarium \(d.softwareVersion).

            Paketstruktur: E-ARK CSIP 2.1.0 och SIP 2.1.0 (FGS Paketstruktur 2.0).
            Innehåll: CITS ERMS 2.1.2 (FGS Ärendehantering 2.0) i representations/rep1/data/erms.xml.

            Så är leveransen ordnad
            - En tråd i sociala medier (ett inlägg och alla svar under det) är ett ärende.
              En tråd med minst en diarieförd handling är ett ERMS-aggregat av typen caseFile;
              dess extraId (diarienummer) är Diariums ärendenummer.
            - En tråd utan diarieförd handling är ett aggregat av egen typ "\(ERMSWriter.threadType)"
              (own_aggregation_definition): handlingarna hålls ordnade men utgör inget ärende.
            - Varje arkiverad post, kommentar eller meddelande är en record. En diarieförd handling
              (status M eller J) har sitt registreringsnummer exakt som i diariet som extraId
              (diarienummer) och sitt löpnummer i ärendet som runningNumber. Övriga handlingar har
              inget nummer; ett avslaget registreringsförslag (status U) säger det i en note.
            - Titlar, avsändare och mottagare är desamma som i det offentliga diariet: namn och
              uppgifter som sekretessen eller dataskyddet skyddar är utelämnade (******, med
              protectedIdentity). En handling med sekretess har en restriction vars regulation
              anger lagrummet. De bevarade filerna innehåller allt, oförändrat.
            - Datum: created (skapad på plattformen), other/registered (registrerad i diariet),
              captured (först hämtad av Diarium).
            - Varje record pekar med additionalInformation/appendix på sina filer i data/captures/:
              varje version, bifogade filer och bevis på borttagning, byte för byte som de hämtades
              (samma som `diarium show --raw`). Filerna heter efter sin SHA-256; en fil som flera
              handlingar delar (ett API-svar med flera svar) finns en gång.
            - En gallrad handling står kvar som record med disposal (gallringens stöd och dag), men utan filer och utan något av sitt innehåll.

            Kontroll
            - representations/rep1/METS.xml listar varje fil i data/ med storlek och SHA-256.
            - metadata/preservation/premis.xml har samma kontrollsummor, en capture-händelse per
              hämtning (tid, URL, HTTP-status) och exporthändelsen med ändringsloggens huvud.
            - Scheman: schemas/ (METS, CSIP- och SIP-tilläggen, ERMS 2.1.2).

            Antal: \(d.registeredCases.count) ärenden, \(d.registeredRecordCount) diarieförda handlingar, \(d.recordCount) handlingar i \(d.cases.count) trådar, \(d.files.count) filer.

            """.utf8)
    }
}
