import Foundation

/// Writes `metadata/descriptive/dc.xml`: a Dublin Core description of the whole delivery
/// (agency, period, what it holds). It names counts, never an item's text or a person, so
/// nothing the public diarium screens can appear in it.
struct DescriptiveWriter {
    let delivery: FGSDelivery

    func write() -> Data {
        var x = XMLWriter()
        x.open("oai_dc:dc", attributes: [("xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
                                         ("xmlns:dc", "http://purl.org/dc/elements/1.1/")])
        x.element("dc:title", "\(delivery.agency.name): sociala medier \(delivery.period)")
        x.element("dc:creator", delivery.agency.name)
        x.element("dc:publisher", delivery.agency.name)
        x.element("dc:subject", "Myndighetens konton i sociala medier")
        x.element("dc:description", "\(delivery.registeredCases.count) ärenden med \(delivery.registeredRecordCount) registrerade handlingar, "
            + "\(delivery.recordCount) handlingar i \(delivery.cases.count) trådar, \(delivery.files.count) bevarade filer. "
            + "Arkiverade med Diarium \(delivery.softwareVersion); CITS ERMS 2.1.2 i representations/rep1/data/erms.xml.")
        x.element("dc:date", delivery.period)
        x.element("dc:type", "Dataset")
        x.element("dc:format", "application/xml")
        x.element("dc:identifier", delivery.packageID)
        x.element("dc:language", "sv")
        x.close()
        return x.data
    }
}
