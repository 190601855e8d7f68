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

    [Fact]
    public async Task A_player_away_past_the_grace_forfeits_and_its_page_joins_again_when_the_resume_is_refused()
    {
        await using var server = await StartServerAsync("--WsGame:Game:ReconnectGrace=00:00:02");
        await using var proxy = TcpProxy.Start(server.Port);
        await using var a = await GamePage.OpenAsync(browser.Browser, proxy.BaseAddress);
        // Bo plays on a phone-sized screen: the layout is one column, and nothing is wider than the screen.
        await using var b = await GamePage.OpenAsync(browser.Browser, server.Address, viewport: new ViewportSize { Width = 390, Height = 844 });

        await a.JoinAsync("Ada", "archer", "forfeit");
        await b.JoinAsync("Bo", "knight", "forfeit");
        await b.WaitAsync("s => s.round === 1 && s.phase === 'live' && s.players.length === 2");
        var adaId = (await a.StateAsync()).GetProperty("id").GetString()!;

        proxy.Offline = true;
        proxy.Cut();
        await b.WaitAsync($"s => s.away.length === 1 && /{Reconnecting}/.test(s.overlays.away) && s.away[0].secondsLeft <= 2");
        await b.ScreenshotAsync("16-phone-opponent-reconnecting");
        Assert.True(await b.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the phone layout fits the screen's width");

        // The grace runs out: Ada forfeits, Bo wins (and the win counts).
        await b.WaitAsync("s => s.result !== null && s.result.won && s.result.reason === 'forfeit' && s.players.length === 1", 15_000);
        Assert.Equal("You won", await b.Page.TextContentAsync("#result-text"));
        Assert.Equal("Ada did not come back: you win by forfeit.", await b.Page.TextContentAsync("#result-detail"));
        Assert.False(await b.Page.IsVisibleAsync("#away"));
        Assert.Equal(1, (await b.StateAsync()).GetProperty("players")[0].GetProperty("wins").GetInt32());
        await b.ScreenshotAsync("17-phone-won-by-forfeit");

        // Ada's network comes back too late: the server refuses the resume, and the page joins again with what
        // she typed, by itself, as a new player in the same room.
        proxy.Offline = false;
        await a.WaitAsync("s => s.refused === 1 && s.joined && s.connected && s.room === 'forfeit'", 20_000);
        var again = await a.StateAsync();
        Assert.NotEqual(adaId, again.GetProperty("id").GetString());
        Assert.Equal(0, again.GetProperty("resumes").GetInt32());
        Assert.Contains(again.GetProperty("players").EnumerateArray(), p => p.GetProperty("me").GetBoolean()
            && p.GetProperty("name").GetString() == "Ada" && p.GetProperty("sprite").GetString() == "archer");
        Assert.Contains(again.GetProperty("chat").EnumerateArray(), l => l.GetProperty("text").GetString()!.StartsWith("Cannot resume:"));
        await b.WaitAsync($"s => s.players.some(p => p.name === 'Ada' && p.id !== '{adaId}') && s.chat.some(l => l.text === 'Ada joined the chat.')");
        await a.ScreenshotAsync("18-joined-again");

        Assert.Empty(a.Problems);
        Assert.Empty(b.Problems);
    }

    [Fact]
    public async Task A_tab_that_takes_the_seat_over_resumes_it_and_the_old_tab_stops_for_good()
    {
        await using var server = await StartServerAsync();
        await using var a = await GamePage.OpenAsync(browser.Browser, server.Address);
        await using var b = await GamePage.OpenAsync(browser.Browser, server.Address);
        await a.JoinAsync("Ada", "mage", "two-tabs");
        await b.JoinAsync("Bo", "ninja", "two-tabs");
        await a.WaitAsync("s => s.round === 1 && s.players.length === 2");
        var adaId = (await a.StateAsync()).GetProperty("id").GetString()!;

        // A copy of Ada's tab (as the browser's "duplicate tab" makes one): same sessionStorage, so on load it
        // resumes her seat by itself, as after a reload.
        var storage = await a.Page.EvaluateAsync<string>("() => JSON.stringify({ seat: sessionStorage.getItem('wsgame.seat'), join: sessionStorage.getItem('wsgame.join') })");
        await using var copy = await GamePage.OpenAsync(browser.Browser, server.Address,
            initScript: $"(() => {{ const s = {storage}; sessionStorage.setItem('wsgame.seat', s.seat); sessionStorage.setItem('wsgame.join', s.join); }})()");
        await copy.WaitAsync($"s => s.joined && s.resumes === 1 && s.id === '{adaId}' && s.room === 'two-tabs' && s.round === 1");

        // The old tab is closed with 4001: it says why, goes back to the lobby and does not fight for the seat.
        await a.WaitAsync("s => s.seen.closes.includes(4001) && !s.joined && s.lobby.shown && !s.hasSeat");
        Assert.Equal("This seat was taken over in another tab.", await a.Page.TextContentAsync("#join-error"));
        await a.ScreenshotAsync("19-seat-taken-over");
        await Task.Delay(1500);
        var old = await a.StateAsync();
        Assert.Equal(1, old.GetProperty("opened").GetInt32());
        Assert.Equal(0, old.GetProperty("reconnects").GetInt32());

        // Bo heard nothing: the seat never was away.
        await copy.Page.FillAsync("#chat-input", "new tab here");
        await copy.Page.PressAsync("#chat-input", "Enter");
        await b.WaitAsync("s => s.chat.some(l => l.text === 'new tab here')");
        Assert.DoesNotContain((await b.StateAsync()).GetProperty("chat").EnumerateArray(),
            l => l.GetProperty("text").GetString() is "Ada lost connection." or "Ada is back.");

        Assert.Empty(a.Problems);
        Assert.Empty(b.Problems);
        Assert.Empty(copy.Problems);
    }

    [Fact]
    public async Task Backoff_doubles_from_a_quarter_second_to_four_with_half_of_it_random()
    {
        await using var server = await StartServerAsync();
        await using var page = await GamePage.OpenAsync(browser.Browser, server.Address);
        var delays = await page.Page.EvaluateAsync<double[][]>(
            "async () => { const { backoffDelay } = await import('./js/net.js');"
            + " return [0, 1, 2, 3, 4, 5, 10, 60].map(n => [backoffDelay(n, () => 0), backoffDelay(n, () => 0.999999)]); }");
        double[] ceilings = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000];
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.Equal(ceilings[i] / 2, delays[i][0], 3);
            Assert.InRange(delays[i][1], ceilings[i] * 0.999, ceilings[i]);
        }
        Assert.Empty(page.Problems);
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
