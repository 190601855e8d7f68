using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Game.Session;

/// <summary>A client written for the seed's chat room (seed 003) talks to /ws unchanged.</summary>
public sealed class SeedChatCompatibilityTests
{
    [Fact]
    public async Task The_seed_chat_client_script_works_unchanged_and_its_chat_reaches_the_room()
    {
        // Rooms large enough to hold the chat room's peers, as the seed room had no limit.
        await using var server = new WsGameServer(new Dictionary<string, string?> { ["WsGame:Game:RoomCapacity"] = "10" });
        var (peer, _) = await GameTestClient.JoinAsync(server, "Peer");
        await using var _peer = peer;
        var script = Path.Combine(RepositoryPaths.Root, "WsGame.Api.Tests", "Clients", "python", "seed_chat_client.py");

        var run = await ClientProcess.RunAsync(
            "/usr/bin/python3", [script, server.WebSocketUri("/ws").AbsoluteUri, "Seedling", "hello from 2016"],
            Path.GetDirectoryName(script)!, TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0 && run.StandardOutput.Contains("PASS"), $"the seed chat client failed: {run}");
        var joined = await peer.ReceiveAsync("status", m => m["message"]!.GetValue<string>() == "Seedling joined the chat.");
        var chat = await peer.ReceiveAsync("chat");
        Assert.NotNull(joined["id"]);
        Assert.Equal("Seedling", chat["sender"]!.GetValue<string>());
        Assert.Equal("hello from 2016", chat["message"]!.GetValue<string>());
    }
}
