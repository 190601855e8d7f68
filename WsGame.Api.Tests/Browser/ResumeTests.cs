using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using WsGame.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WsGame.Api.Tests.Browser;

/// <summary>
/// Seats kept across a dropped connection, and spectators, in a real browser against the server as its own
/// process. Page A reaches the server through a <see cref="TcpProxy"/>, so the test can take A's network away
/// and give it back; the other pages connect directly.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResumeTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Reconnecting = @"^Ada is reconnecting… \d+ s$";

    [Fact]
    public async Task A_dropped_connection_comes_back_to_its_seat_and_a_spectator_watches_from_the_lobby()
    {
        await using var server = await StartServerAsync("--WsGame:Game:ReconnectGrace=00:00:30");
        await using var proxy = TcpProxy.Start(server.Port);
        await using var a = await GamePage.OpenAsync(browser.Browser, proxy.BaseAddress);
        await using var b = await GamePage.OpenAsync(browser.Browser, server.Address);

        await a.JoinAsync("Ada", "mage", "comeback");
        await b.JoinAsync("Bo", "ninja", "comeback");
        foreach (var page in new[] { a, b })
        {
            await page.WaitAsync("s => s.round === 1 && s.phase === 'live' && s.players.length === 2 && s.players.every(p => p.connected)");
        }
        var before = await a.StateAsync();
        var adaId = before.GetProperty("id").GetString()!;
        var boId = (await b.StateAsync()).GetProperty("id").GetString()!;
        // The rules came in the welcome: the page has the server's grace, not a number of its own.
        Assert.Equal(30_000, before.GetProperty("rules").GetProperty("reconnectGraceMs").GetInt32());

        // Ada's network goes: every connection through the proxy is reset, and new ones fail until it is back.
        proxy.Offline = true;
        var cut = proxy.Cut();
        output.WriteLine($"Cut {cut} connection(s) through the proxy; Ada's last seq was {before.GetProperty("seq").GetInt32()}.");
        await a.WaitAsync("s => !s.connected && !s.joined && s.overlays.lost.startsWith('Connection lost: reconnecting…')");
        Assert.True(await a.Page.IsVisibleAsync("#disconnected"), "Ada's arena says her connection is lost");
        Assert.Contains("Your seat is held for", await a.Page.TextContentAsync("#disconnected"));

        // Bo sees Ada away, with the grace counting down over the arena.
        await b.WaitAsync($"s => s.away.length === 1 && s.away[0].id === '{adaId}' && /{Reconnecting}/.test(s.overlays.away)");
        Assert.True(await b.Page.IsVisibleAsync("#away"));
        Assert.Matches(Reconnecting, (await b.Page.TextContentAsync("#away"))!);
        Assert.False(PlayerIn(await b.StateAsync(), adaId).GetProperty("connected").GetBoolean());
        await b.ScreenshotAsync("10-opponent-reconnecting");
        await a.ScreenshotAsync("11-connection-lost");
        var first = (await b.StateAsync()).GetProperty("away")[0].GetProperty("secondsLeft").GetInt32();
        Assert.InRange(first, 25, 30);

        // While Ada is away, Bo walks and chats: her stream goes on, and the resume replays it.
        var boStart = PlayerIn(await b.StateAsync(), boId).GetProperty("left").GetInt32();
        await b.HoldKeyUntilAsync("ArrowLeft", $"s => s.players.find(p => p.me).left <= {boStart - 40}", output.WriteLine);
        await b.Page.FillAsync("#chat-input", "still there, Ada?");
        await b.Page.PressAsync("#chat-input", "Enter");
        await b.WaitAsync($"s => s.away[0].secondsLeft <= {first - 2}", 10_000);
        Assert.Matches(Reconnecting, (await b.Page.TextContentAsync("#away"))!);
        // Ada's page kept trying meanwhile (and each try was refused), backing off between tries.
        await a.WaitAsync("s => s.opened >= 3 && !s.joined");
        Assert.True(proxy.Refused >= 2, $"{proxy.Refused} tries reached the proxy while offline");

        // The network is back: Ada comes back by herself, to the same seat, room and round.
        proxy.Offline = false;
        await a.WaitAsync("s => s.joined && s.connected && s.resumes === 1", 20_000);
        var after = await a.StateAsync();
        Assert.Equal(adaId, after.GetProperty("id").GetString());
        Assert.Equal("comeback", after.GetProperty("room").GetString());
        Assert.Equal(1, after.GetProperty("round").GetInt32());
        Assert.Equal("live", after.GetProperty("phase").GetString());
        Assert.Equal(0, after.GetProperty("refused").GetInt32());
        Assert.False(await a.Page.IsVisibleAsync("#disconnected"));

        // What she missed was replayed in order: Bo's chat, her own absence, and the numbering never skips or
        // repeats across the drop.
        await a.WaitAsync("s => s.chat.some(l => l.kind === 'chat' && l.text === 'still there, Ada?')");
        await a.WaitAsync("s => s.chat.some(l => l.kind === 'status' && l.text === 'Ada is back.')");
        var stream = await a.StateAsync();
        var seqs = stream.GetProperty("seqs").EnumerateArray().Select(q => q.GetInt32()).ToList();
        var seqBefore = before.GetProperty("seq").GetInt32();
        Assert.Equal(0, stream.GetProperty("duplicates").GetInt32());
        Assert.Empty(stream.GetProperty("gaps").EnumerateArray());
        Assert.Equal(Enumerable.Range(seqs[0], seqs.Count), seqs);
        Assert.Contains(seqBefore + 1, seqs);
        Assert.Contains(stream.GetProperty("chat").EnumerateArray(), l => l.GetProperty("text").GetString() == "Ada lost connection.");

        // Bo sees her return: the overlay goes, the chat says so, and she is connected in his list.
        await b.WaitAsync($"s => s.away.length === 0 && s.players.find(p => p.id === '{adaId}').connected"
            + " && s.chat.some(l => l.kind === 'status' && l.text === 'Ada is back.')");
        Assert.False(await b.Page.IsVisibleAsync("#away"));
        var boLeft = PlayerIn(await b.StateAsync(), boId).GetProperty("left").GetInt32();
        await a.WaitAsync($"s => s.players.find(p => p.id === '{boId}').left === {boLeft}");
        await b.ScreenshotAsync("12-opponent-back");

        // A third page opens the lobby, finds the room and watches it.
        await using var c = await GamePage.OpenAsync(browser.Browser, server.Address);
        await c.WaitAsync("s => s.lobby.shown && s.lobby.rooms.some(r => r.name === 'comeback' && r.players.length === 2)");
        var listed = c.Page.Locator("#rooms li[data-room='comeback']");
        Assert.Contains("Ada vs Bo", await listed.TextContentAsync());
        await c.ScreenshotAsync("13-lobby");
        await c.Page.FillAsync("#name", "Kai");
        await listed.GetByRole(AriaRole.Button, new() { Name = "Watch" }).ClickAsync();
        await c.WaitAsync("s => s.joined && s.spectator && s.mode === 'watch' && s.round === 1 && s.players.length === 2");
        var watching = await c.StateAsync();
        Assert.StartsWith("s", watching.GetProperty("id").GetString());
        Assert.DoesNotContain(watching.GetProperty("players").EnumerateArray(), p => p.GetProperty("me").GetBoolean());
        Assert.True(await c.Page.IsVisibleAsync("#watching"));
        Assert.False(await c.Page.IsVisibleAsync("#rematch"));
        Assert.DoesNotContain("Attack", await c.Page.TextContentAsync("#help"));
        Assert.Equal("Stop watching", await c.Page.TextContentAsync("#exit"));

        // No controls: keys on the spectator's page send nothing.
        await c.Page.Locator("#arena").FocusAsync();
        await c.Page.Keyboard.PressAsync("ArrowRight");
        await c.Page.Keyboard.PressAsync("Space");
        await c.Page.Keyboard.DownAsync("ArrowUp");
        await Task.Delay(200);
        await c.Page.Keyboard.UpAsync("ArrowUp");
        var sent = (await c.StateAsync()).GetProperty("sent");
        Assert.Equal(0, sent.GetProperty("move").GetInt32());
        Assert.Equal(0, sent.GetProperty("attack").GetInt32());

        // The spectator sees the players move, and its chat is marked as a spectator's.
        var boNow = PlayerIn(await b.StateAsync(), boId).GetProperty("left").GetInt32();
        await b.Page.Locator("#arena").FocusAsync();   // keys typed in the chat box do not move
        await b.HoldKeyUntilAsync("ArrowRight", $"s => s.players.find(p => p.me).left >= {boNow + 30}", output.WriteLine);
        var boMoved = PlayerIn(await b.StateAsync(), boId).GetProperty("left").GetInt32();
        await c.WaitAsync($"s => s.players.find(p => p.id === '{boId}').left === {boMoved}");
        await c.Page.FillAsync("#chat-input", "nice dodge");
        await c.Page.PressAsync("#chat-input", "Enter");
        foreach (var page in new[] { a, b, c })
        {
            await page.WaitAsync("s => s.chat.some(l => l.kind === 'chat' && l.sender === 'Kai' && l.spectator && l.text === 'nice dodge')");
        }
        Assert.Equal("spectator", await b.Page.Locator("#chat li.chat.spectator .tag").Last.TextContentAsync());
        await c.ScreenshotAsync("14-spectator");
        await b.ScreenshotAsync("15-spectator-chat");

        Assert.Empty(a.Problems);
        Assert.Empty(b.Problems);
        Assert.Empty(c.Problems);
    }

    private static JsonElement PlayerIn(JsonElement state, string id) =>
        state.GetProperty("players").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    private static async Task<RunningServer> StartServerAsync(params string[] settings)
    {
        var port = ServerProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var process = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}", "--Serilog:MinimumLevel:Default=Warning", .. settings]);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var health = await process.WaitUntilServingAsync(http, new Uri(address, "/health").ToString(), TimeSpan.FromSeconds(20));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            return new RunningServer(process, port, address);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private sealed record RunningServer(ServerProcess Process, int Port, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
