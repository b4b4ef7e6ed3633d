import Testing

@Test func placeholderConnectors() { #expect(Bool(true)) }
