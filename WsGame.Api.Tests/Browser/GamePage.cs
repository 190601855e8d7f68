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
    private readonly Queue<string> _console = new();

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
        page.Console += (_, message) =>
        {
            lock (_console)
            {
                _console.Enqueue($"{message.Type}: {message.Text}");
                while (_console.Count > 20)
                {
                    _console.Dequeue();
                }
            }
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

    /// <param name="initScript">Script run in the page before its own scripts (to give it a tab's sessionStorage, say).</param>
    /// <param name="viewport">The window's size; a desktop's by default.</param>
    public static async Task<GamePage> OpenAsync(IBrowser browser, Uri baseAddress, string? initScript = null, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1100, Height = 640 },
        });
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }
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
    /// <exception cref="TimeoutException">Not true in time; the message holds the page's state and problems.</exception>
    public async Task WaitAsync(string predicate, float? timeout = null)
    {
        try
        {
            await WaitUnexplainedAsync(predicate, timeout ?? Timeout);
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message} Waiting for: {predicate}. {await DescribeAsync()}", timedOut);
        }
    }

    /// <summary>The page's state and the problems seen so far, for a failure message.</summary>
    public async Task<string> DescribeAsync()
    {
        string state;
        try
        {
            var json = await Page.EvaluateAsync<JsonElement>("() => window.wsgame.state()", null);
            state = json.GetRawText();
        }
        catch (PlaywrightException failed)
        {
            state = $"(unreadable: {failed.Message})";
        }
        string console;
        lock (_console)
        {
            console = string.Join("; ", _console);
        }
        return $"Page state: {state} Problems: [{string.Join("; ", Problems)}] Console (newest 20): [{console}]";
    }

    /// <summary>Like <see cref="WaitAsync"/>, but false instead of a timeout exception.</summary>
    public async Task<bool> TryWaitAsync(string predicate, float timeout)
    {
        try
        {
            await WaitUnexplainedAsync(predicate, timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Holds <paramref name="key"/> down until <paramref name="predicate"/> holds, then releases it. The page
    /// forgets held keys when it loses focus or its connection (controls.js); if the player has stopped short after
    /// a few seconds, the key is pressed again, as a person would, and <paramref name="log"/> says why.
    /// </summary>
    public async Task HoldKeyUntilAsync(string key, string predicate, Action<string> log)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(Timeout);
        await Page.Keyboard.DownAsync(key);
        try
        {
            while (!await TryWaitAsync(predicate, 5_000))
            {
                var description = await DescribeAsync();
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"Holding {key} for {Timeout} ms did not make this true: {predicate}. {description}");
                }
                log($"Holding {key} for 5 s did not make this true: {predicate}. Pressing it again. {description}");
                await Page.Keyboard.UpAsync(key);
                await Page.Keyboard.DownAsync(key);
            }
        }
        finally
        {
            await Page.Keyboard.UpAsync(key);
        }
    }

    private Task WaitUnexplainedAsync(string predicate, float timeout) =>
        Page.WaitForFunctionAsync($"() => {{ const s = window.wsgame.state(); return ({predicate})(s); }}", null,
            new PageWaitForFunctionOptions { Timeout = timeout, PollingInterval = 25 });

    public async Task<JsonElement> StateAsync() => await Page.EvaluateAsync<JsonElement>("() => window.wsgame.state()");

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
