import Testing

@Test func placeholderArchiver() { #expect(Bool(true)) }
