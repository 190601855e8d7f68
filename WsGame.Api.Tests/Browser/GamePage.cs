using System.Text.Json;
using Microsoft.Playwright;

namespace WsGame.Api.Tests.Browser;

/// <summary>
/// One player's page. Reads the game through the page's read-only hook <c>window.wsgame.state()</c>
/// and waits on it with <see cref="IPage.WaitForFunctionAsync"/>, never on fixed sleeps.
/// </summary>
public sealed class GamePage : IAsyncDisposable
{
    public static readonly float Timeout = 30_000;

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private GamePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.SetDefaultTimeout(Timeout);
        page.Dialog += (_, dialog) =>
        {
            lock (_problems)
            {
                _problems.Add($"dialog opened: {dialog.Type} '{dialog.Message}'");
            }
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) =>
        {
            lock (_problems)
            {
                _problems.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Dialogs and uncaught script errors seen so far; a test asserts this stays empty.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    public static async Task<GamePage> OpenAsync(IBrowser browser, Uri baseAddress)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1100, Height = 640 },
        });
        var page = await context.NewPageAsync();
        var gamePage = new GamePage(context, page);
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForFunctionAsync("() => window.wsgame !== undefined");
        return gamePage;
    }

    /// <summary>Fills the join form and presses Enter in the name field (or clicks Join); waits for the welcome.</summary>
    public async Task JoinAsync(string name, string sprite, string? room, bool pressEnter = false)
    {
        if (room is not null)
        {
            await Page.FillAsync("#room", room);
        }
        await Page.CheckAsync($"#sprite-{sprite}", new PageCheckOptions { Force = true });
        await Page.FillAsync("#name", name);
        if (pressEnter)
        {
            await Page.PressAsync("#name", "Enter");
        }
        else
        {
            await Page.ClickAsync("#join");
        }
        await WaitAsync("s => s.joined && s.connected");
    }

    /// <summary>Waits until <paramref name="predicate"/> (a JS function of the state) is true.</summary>
    public async Task WaitAsync(string predicate, float? timeout = null)
    {
        await Page.WaitForFunctionAsync($"() => {{ const s = window.wsgame.state(); return ({predicate})(s); }}", null,
            new PageWaitForFunctionOptions { Timeout = timeout ?? Timeout, PollingInterval = 25 });
    }

    /// <summary>Like <see cref="WaitAsync"/>, but false instead of a timeout exception.</summary>
    public async Task<bool> TryWaitAsync(string predicate, float timeout)
    {
        try
        {
            await WaitAsync(predicate, timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async Task<JsonElement> StateAsync() => await Page.EvaluateAsync<JsonElement>("() => window.wsgame.state()");

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
