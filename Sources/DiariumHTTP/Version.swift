/// The program's version, shared by the User-Agent, `diarium --version` and the
/// evidence metadata, so all three always agree.
public let diariumVersion = "0.1.0"
