using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Hosting;

/// <summary>How the app starts, or refuses to, with the settings it is given.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("WsGame:WebSockets:MaxMessageBytes", "-1")]
    [InlineData("WsGame:WebSockets:SendQueueLimit", "0")]
    [InlineData("WsGame:WebSockets:KeepAliveInterval", "00:00:00")]
    public void A_bad_setting_fails_validation_naming_the_setting(string key, string value)
    {
        // The same registration Program uses, over a configuration holding one bad value.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddValidatedOptions<TransportOptions>(TransportOptions.SectionName)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<TransportOptions>>().Value);

        Assert.Contains($"Setting {key} = '{value}' is invalid", error.Message);
    }

    [Theory]
    [InlineData("1006")]
    [InlineData("1015")]
    [InlineData("2000")]
    public void A_shutdown_close_code_no_close_frame_may_carry_is_refused_naming_the_setting(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WsGame:WebSockets:ShutdownCloseCode"] = value })
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddValidatedOptions<TransportOptions>(TransportOptions.SectionName)
            .AddSingleton<IValidateOptions<TransportOptions>>(new WsGame.Api.WebSockets.Connection.ShutdownCloseCodeValidator())
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<TransportOptions>>().Value);

        Assert.Contains($"Setting WsGame:WebSockets:ShutdownCloseCode = '{value}' is invalid", error.Message);
    }

    [Fact]
    public void The_shipped_settings_are_valid()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.ApiProject, "appsettings.json"))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddValidatedOptions<TransportOptions>(TransportOptions.SectionName)
            .BuildServiceProvider();

        Assert.Equal(1024 * 1024, services.GetRequiredService<IOptions<TransportOptions>>().Value.MaxMessageBytes);
    }

    [Fact]
    public async Task The_server_process_exits_with_a_clear_message_on_a_bad_setting()
    {
        await using var server = ServerProcess.Start(
            "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}", "--WsGame:WebSockets:MaxMessageBytes=-1");

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("Setting WsGame:WebSockets:MaxMessageBytes = '-1' is invalid", server.Output);
    }

    [Fact]
    public async Task PostgreSQL_without_a_connection_string_stops_start_up_naming_the_setting()
    {
        await using var server = ServerProcess.Start(
            "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}", "--WsGame:Storage:Provider=PostgreSQL");

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Setting ConnectionStrings:WsGame is required when WsGame:Storage:Provider is PostgreSQL", server.Output);
    }

    [Fact]
    public async Task The_server_process_listens_where_urls_says()
    {
        var port = ServerProcess.FreePort();
        await using var server = ServerProcess.Start("--urls", $"http://127.0.0.1:{port}");
        using var client = new HttpClient();

        var response = await server.WaitUntilServingAsync(client, $"http://127.0.0.1:{port}/health", TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
