using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Which way a connection's bytes go after the upgrade: Kestrel's transport pipe by default, the upgrade stream
/// when it is turned off. The conformance sections run on both (OverUpgradeStream.cs); this proves each
/// fixture's server really served its path, so neither run can quietly test the other.
/// </summary>
public sealed class TransportPathTests
{
    [Theory]
    [InlineData(typeof(EchoServerFixture), TransportPath.TransportPipe)]
    [InlineData(typeof(SmallLimitEchoServerFixture), TransportPath.TransportPipe)]
    [InlineData(typeof(UpgradeStreamEchoServerFixture), TransportPath.UpgradeStream)]
    [InlineData(typeof(UpgradeStreamSmallLimitEchoServerFixture), TransportPath.UpgradeStream)]
    public async Task Each_conformance_server_serves_its_connections_on_its_own_transport_path(Type fixtureType, TransportPath expected)
    {
        var fixture = (EchoServerFixture)Activator.CreateInstance(fixtureType)!;
        await fixture.InitializeAsync();
        try
        {
            await using var client = await fixture.ConnectAsync();
            await client.SendTextAsync("which way");
            Assert.Equal("which way", Encoding.UTF8.GetString((await client.ReceiveMessageAsync()).Payload));

            var connection = Assert.Single(fixture.Server.Services.GetRequiredService<ConnectionRegistry>().Open);
            Assert.Equal(expected, fixture.Path);
            Assert.Equal(expected, connection.TransportPath);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_interop_servers_serve_the_transport_pipe_and_the_upgrade_stream()
    {
        foreach (var (server, expected) in new (Interop.IndependentClientTests.Server, TransportPath)[]
                 {
                     (new Interop.IndependentClientTests.Server(), TransportPath.TransportPipe),
                     (new Interop.IndependentClientTests.UpgradeStreamServer(), TransportPath.UpgradeStream),
                 })
        {
            using (server)
            {
                await using var client = await RawWebSocketClient.ConnectAsync(server.App.WebSocketUri("/ws/echo"));
                await client.SendTextAsync("which way");
                await client.ReceiveMessageAsync();
                var connection = Assert.Single(server.App.Services.GetRequiredService<ConnectionRegistry>().Open);
                Assert.Equal(expected, connection.TransportPath);
            }
        }
    }
}
