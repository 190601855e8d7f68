namespace WsGame.Api.Tests.WebSockets.Conformance;

// Every conformance section again, on a server whose connections go through the upgrade stream instead of
// Kestrel's transport pipe: both transport paths are held to the same tests (see TransportPathTests).

public sealed class RecoveryOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : RecoveryTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section1FramingOverUpgradeStreamTests(UpgradeStreamEchoServerFixture server) : Section1FramingTests(server), IClassFixture<UpgradeStreamEchoServerFixture>;

public sealed class Section2PingPongOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section2PingPongTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section3ReservedBitsOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section3ReservedBitsTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section4OpcodesOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section4OpcodesTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section5FragmentationOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section5FragmentationTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section6Utf8OverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section6Utf8Tests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section7CloseOverUpgradeStreamTests(UpgradeStreamSmallLimitEchoServerFixture server) : Section7CloseTests(server), IClassFixture<UpgradeStreamSmallLimitEchoServerFixture>;

public sealed class Section9LargeMessagesOverUpgradeStreamTests(UpgradeStreamEchoServerFixture server) : Section9LargeMessagesTests(server), IClassFixture<UpgradeStreamEchoServerFixture>;
