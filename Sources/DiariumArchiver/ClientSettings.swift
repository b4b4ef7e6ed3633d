import DiariumConfig
import DiariumCore
import DiariumHTTP

extension HTTPClientConfiguration {
    /// The client settings a configuration file asks for: the CA bundle, the request
    /// budget (`[poll] request_timeout`, `connect_timeout`, `attempts`) and the address
    /// policy (accounts' own API and feed origins are trusted; `[poll] allow_addresses`).
    /// `run`, `timestamp` and the demo build their client through here, and so do the
    /// tests, so what a test allows is what a configuration file would allow.
    public init(_ configuration: DiariumConfiguration, onEvent: (@Sendable (HTTPEvent) -> Void)? = nil) {
        self.init(onEvent: onEvent)
        apply(configuration)
    }

    /// Takes over the file's settings (also on a reload), leaving the rest as it is.
    public mutating func apply(_ configuration: DiariumConfiguration) {
        caFile = configuration.caFile
        totalTimeout = .seconds(configuration.requestTimeoutSeconds)
        connectTimeout = .seconds(min(configuration.connectTimeoutSeconds, configuration.requestTimeoutSeconds))
        retry.maxAttempts = configuration.requestAttempts
        addressPolicy = AddressPolicy(trustedURLs: configuration.trustedURLs, allowed: configuration.allowAddresses)
    }
}
