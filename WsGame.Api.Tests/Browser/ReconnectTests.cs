using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Browser;

/// <summary>The server stops and comes back on the same port: the page shows it and rejoins by itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_page_reconnects_and_rejoins_after_a_server_restart()
    {
        var port = ServerProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        ServerProcess? server = await StartAsync(port, http, address);
        try
        {
            await using var page = await GamePage.OpenAsync(browser.Browser, address);
            await page.JoinAsync("Phoenix", "archer", "ashes");
            var before = await page.StateAsync();
            Assert.Equal("ashes", before.GetProperty("room").GetString());
            Assert.Equal("connected", await page.Page.TextContentAsync("#connection"));

            var stopped = server;
            server = null;
            await stopped.DisposeAsync();
            await page.WaitAsync("s => !s.connected && !s.joined");
            await page.Page.WaitForFunctionAsync("() => document.getElementById('connection').dataset.state !== 'online'");
            Assert.NotEqual("connected", await page.Page.TextContentAsync("#connection"));
            Assert.True(await page.Page.IsVisibleAsync("#disconnected"), "the arena says the connection is lost");
            await page.WaitAsync("s => s.chat.some(l => l.kind === 'error' && l.text.startsWith('Disconnected'))");
            await page.ScreenshotAsync("07-disconnected");

            server = await StartAsync(port, http, address);
            await page.WaitAsync("s => s.connected && s.joined && s.reconnects > 0", 15_000);
            var after = await page.StateAsync();
            Assert.Equal("ashes", after.GetProperty("room").GetString());
            var me = after.GetProperty("players").EnumerateArray().Single(p => p.GetProperty("me").GetBoolean());
            Assert.Equal("Phoenix", me.GetProperty("name").GetString());
            Assert.Equal("archer", me.GetProperty("sprite").GetString());
            Assert.Equal("connected", await page.Page.TextContentAsync("#connection"));
            Assert.False(await page.Page.IsVisibleAsync("#disconnected"));
            await page.ScreenshotAsync("08-reconnected");
            Assert.Empty(page.Problems);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<ServerProcess> StartAsync(int port, HttpClient http, Uri address)
    {
        var server = ServerProcess.Start("--urls", $"http://127.0.0.1:{port}", "--Serilog:MinimumLevel:Default=Warning");
        using var health = await server.WaitUntilServingAsync(http, new Uri(address, "/health").ToString(), TimeSpan.FromSeconds(20));
        return server;
    }
}
