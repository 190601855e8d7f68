using System.Text.Json;
using Microsoft.Playwright;
using WsGame.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WsGame.Api.Tests.Browser;

/// <summary>The game page in a real browser against the real server: a duel, chat, and what a player types.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GamePageTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Markup = "<img src=x onerror=alert(1)>";

    private readonly WsGameServer _server = new(new Dictionary<string, string?>
    {
        ["WsGame:Game:MaxEnergy"] = "3",
        ["WsGame:Game:AttackCooldown"] = "00:00:00.050",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Two_players_duel_until_a_knockout_rematch_and_one_exits()
    {
        await using var a = await GamePage.OpenAsync(browser.Browser, _server.BaseAddress);
        await using var b = await GamePage.OpenAsync(browser.Browser, _server.BaseAddress);

        await a.ScreenshotAsync("00-join-form");
        await a.JoinAsync("Alice", "knight", "arena-1");
        Assert.True(await a.Page.IsVisibleAsync("#waiting"), "alone in the room, Alice waits for an opponent");
        await a.ScreenshotAsync("01-waiting");
        await b.JoinAsync("Bob", "ninja", "arena-1");

        // Each sees the other.
        await a.WaitAsync("s => s.players.length === 2 && s.players.some(p => p.name === 'Bob' && !p.me)");
        await b.WaitAsync("s => s.players.length === 2 && s.players.some(p => p.name === 'Alice' && !p.me)");
        Assert.Equal("Room: arena-1", await a.Page.TextContentAsync("#room-label"));
        Assert.False(await a.Page.IsVisibleAsync("#waiting"));
        var aliceId = (await a.StateAsync()).GetProperty("id").GetString()!;
        var bobId = (await b.StateAsync()).GetProperty("id").GetString()!;
        var start = PlayerIn(await b.StateAsync(), aliceId).GetProperty("left").GetInt32();

        // Alice holds the right arrow and walks up to Bob (close enough to hit) until Bob sees her there too.
        // A server that stalls for longer than MoveTolerance reads a bunch of late moves at once, cannot tell
        // them from a speed cheat, and pulls Alice back with a correction: then she walks on, as a player would.
        Assert.True(start < 300, $"Alice starts at {start}, already near Bob");
        for (var attempt = 1; ; attempt++)
        {
            await a.HoldKeyUntilAsync("ArrowRight", "s => s.players.find(p => p.me).left >= 330", output.WriteLine);
            if (await b.TryWaitAsync($"s => s.players.find(p => p.id === '{aliceId}').left >= 320", 5_000))
            {
                break;
            }
            var why = $"Bob does not see Alice near him. Alice: {await a.DescribeAsync()} Bob: {await b.DescribeAsync()}";
            Assert.True(attempt < 4, why);
            output.WriteLine($"{why} She walks on.");
        }

        // Space until Bob is knocked out (the server's cooldown ignores attacks that come too fast).
        for (var i = 0; i < 40; i++)
        {
            await a.Page.Keyboard.PressAsync("Space");
            if (i == 0)
            {
                await b.WaitAsync($"s => s.players.find(p => p.id === '{bobId}').energy < 3");
                await a.ScreenshotAsync("02-duel");
            }
            if (await b.TryWaitAsync("s => s.result !== null", 150))
            {
                break;
            }
        }
        await a.WaitAsync($"s => s.result !== null && s.result.won && s.result.winner === '{aliceId}'");
        await b.WaitAsync($"s => s.result !== null && s.result.lost && s.result.loser === '{bobId}'");
        Assert.Equal("You won", await a.Page.TextContentAsync("#result-text"));
        Assert.Equal("You lost", await b.Page.TextContentAsync("#result-text"));
        Assert.Equal(0, PlayerIn(await a.StateAsync(), bobId).GetProperty("energy").GetInt32());
        // Both start at 1200: the knock-out is worth K / 2 each way.
        Assert.Equal("+16 (rating 1216)", await a.Page.TextContentAsync("#rating-change"));
        Assert.Equal("−16 (rating 1184)", await b.Page.TextContentAsync("#rating-change"));
        await a.ScreenshotAsync("03-won");
        await b.ScreenshotAsync("03-lost");

        // Rematch on both: round 2, full energy, no overlay.
        await a.Page.ClickAsync("#rematch");
        await b.Page.ClickAsync("#rematch");
        foreach (var page in new[] { a, b })
        {
            await page.WaitAsync("s => s.round === 2 && s.result === null && s.players.length === 2 && s.players.every(p => p.energy === 3)");
            Assert.False(await page.Page.IsVisibleAsync("#result"));
        }
        await b.ScreenshotAsync("04-rematch");

        // Alice exits: Bob sees her leave.
        await a.Page.ClickAsync("#exit");
        await b.WaitAsync("s => s.players.length === 1 && s.chat.some(l => l.kind === 'status' && l.text === 'Alice left the chat.')");
        Assert.True(await a.Page.IsVisibleAsync("#join-panel"));
        Assert.Equal(1, await b.Page.Locator("#players li").CountAsync());
        // Back in the lobby, Alice sees her record and the leaderboard as the API tells them.
        await a.WaitAsync("s => s.profile.leaderboard.length === 2 && s.profile.leaderboard[0].name === 'Alice' && s.profile.leaderboard[0].rating === 1216");
        Assert.Equal("Your rating 1216 · 1 won, 0 lost", await a.Page.TextContentAsync("#my-record"));
        Assert.Equal(["Alice", "Bob"], await a.Page.Locator("#leaderboard .board-name").AllTextContentsAsync());
        Assert.Equal("1184 · 0–1", await a.Page.Locator("#leaderboard .board-score").Nth(1).TextContentAsync());
        await b.ScreenshotAsync("05-opponent-left");

        Assert.Empty(a.Problems);
        Assert.Empty(b.Problems);
    }

    [Fact]
    public async Task Chat_and_names_render_what_was_typed_as_text()
    {
        await using var a = await GamePage.OpenAsync(browser.Browser, _server.BaseAddress);
        await using var b = await GamePage.OpenAsync(browser.Browser, _server.BaseAddress);

        await a.JoinAsync(Markup[..16], "mage", "chat-room", pressEnter: true);
        await b.JoinAsync("Bea", "archer", "chat-room", pressEnter: true);
        await b.WaitAsync("s => s.players.length === 2");

        await a.Page.FillAsync("#chat-input", "hello Bea");
        await a.Page.PressAsync("#chat-input", "Enter");
        await a.Page.FillAsync("#chat-input", Markup);
        await a.Page.PressAsync("#chat-input", "Enter");
        await b.WaitAsync($"s => s.chat.filter(l => l.kind === 'chat').length === 2");

        // Newest at the bottom, rendered literally.
        var lines = b.Page.Locator("#chat li.chat");
        Assert.Equal("hello Bea", await lines.Nth(0).Locator(".text").TextContentAsync());
        Assert.Equal(Markup, await lines.Nth(1).Locator(".text").TextContentAsync());
        Assert.Equal(Markup[..16] + ":", await lines.Nth(1).Locator(".sender").TextContentAsync());
        Assert.Contains(Markup[..16], await b.Page.Locator("#players").TextContentAsync());
        Assert.Contains(Markup[..16] + " joined the chat.", await a.Page.Locator("#chat li.status").AllTextContentsAsync());
        Assert.Equal(0, await b.Page.Locator("#chat img, #players img").CountAsync());
        Assert.Equal(0, await a.Page.Locator("#chat img, #players img").CountAsync());
        await b.ScreenshotAsync("06-chat");

        Assert.Empty(a.Problems);
        Assert.Empty(b.Problems);
    }

    [Fact]
    public async Task A_name_that_is_markup_renders_literally()
    {
        await using var a = await GamePage.OpenAsync(browser.Browser, _server.BaseAddress);
        // The server allows 16 characters: the whole markup is refused, and the refusal is shown as text.
        await a.Page.FillAsync("#name", Markup);
        Assert.Equal(Markup[..16], await a.Page.InputValueAsync("#name"));
        await a.Page.EvaluateAsync("m => { document.getElementById('name').removeAttribute('maxlength'); document.getElementById('name').value = m; }", Markup);
        await a.Page.PressAsync("#name", "Enter");
        await a.Page.WaitForFunctionAsync("() => document.getElementById('join-error').textContent.includes('name')");
        Assert.True(await a.Page.IsVisibleAsync("#join-panel"));
        Assert.Empty(a.Problems);
    }

    private static JsonElement PlayerIn(JsonElement state, string id) =>
        state.GetProperty("players").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
}
