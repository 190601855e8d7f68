using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WsGame.Api.Cluster;
using WsGame.Api.Hosting;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Cluster;

/// <summary>The combinations of WsGame:Cluster settings a node refuses to start with, each naming the setting to fix.</summary>
public sealed class ClusterSettingsTests
{
    [Theory]
    [InlineData("Provider=Redis;AdvertisedAddress=127.0.0.1", "Setting WsGame:Cluster:ConnectionString is required when WsGame:Cluster:Provider is Redis")]
    [InlineData("Provider=Redis;ConnectionString=127.0.0.1:6379", "Setting WsGame:Cluster:AdvertisedAddress is required when WsGame:Cluster:Provider is Redis")]
    [InlineData("Provider=PostgreSQL;AdvertisedAddress=127.0.0.1", "Setting WsGame:Cluster:ConnectionString (or ConnectionStrings:WsGame, the profiles' database) is required")]
    [InlineData("Provider=Local;AdvertisedAddress=10.1.2.3", "Setting WsGame:Cluster:AdvertisedAddress = '10.1.2.3' is not 127.0.0.1")]
    [InlineData("Provider=Local;AdvertisedAddress=127.0.0.2", "Setting WsGame:Cluster:AdvertisedAddress = '127.0.0.2' is not 127.0.0.1")]
    [InlineData("Provider=Local;ConnectionString=127.0.0.1:6379", "Setting WsGame:Cluster:ConnectionString is set but WsGame:Cluster:Provider is Local")]
    [InlineData("AdvertisedAddress=node-1", "Setting WsGame:Cluster:AdvertisedAddress = 'node-1' is not an IP address")]
    [InlineData("SiloPort=4000;GatewayPort=4000", "Settings WsGame:Cluster:SiloPort and WsGame:Cluster:GatewayPort are both 4000")]
    [InlineData("SiloPort=0", "Setting WsGame:Cluster:SiloPort = '0' is invalid")]
    [InlineData("ClusterId=a b", "Setting WsGame:Cluster:ClusterId = 'a b' is invalid")]
    [InlineData("PublicUrl=ftp://x", "Setting WsGame:Cluster:PublicUrl = 'ftp://x' is not an http or https address")]
    public void A_combination_that_cannot_work_is_refused_naming_the_setting(string settings, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(settings.Split(';')));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Provider=Local;AdvertisedAddress=127.0.0.1;NodeName=node-1")]
    [InlineData("Provider=Redis;ConnectionString=127.0.0.1:6379;AdvertisedAddress=10.0.0.5")]
    [InlineData("Provider=PostgreSQL;AdvertisedAddress=10.0.0.5;ConnectionStrings:WsGame=Host=db")]
    public void A_working_combination_is_accepted(string settings)
    {
        var bound = Bind(settings.Split(';', StringSplitOptions.RemoveEmptyEntries));

        Assert.False(string.IsNullOrEmpty(bound.EffectiveNodeName));
    }

    [Fact]
    public void PostgreSQL_membership_defaults_to_the_profiles_database()
    {
        var configuration = Configuration("Provider=PostgreSQL", "ConnectionStrings:WsGame=Host=db;Database=wsgame");

        Assert.Equal("Host=db;Database=wsgame", ClusterSettingsValidator.PostgresConnectionString(Settings(configuration), configuration));
    }

    [Fact]
    public async Task The_server_process_refuses_a_cluster_without_its_connection_string()
    {
        await using var server = ServerProcess.Start("--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}",
            "--WsGame:Cluster:Provider=Redis", "--WsGame:Cluster:AdvertisedAddress=127.0.0.1");

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Setting WsGame:Cluster:ConnectionString is required when WsGame:Cluster:Provider is Redis", server.Output);
    }

    private static ClusterSettings Bind(string[] settings)
    {
        var configuration = Configuration(settings);
        using var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddValidatedOptions<ClusterSettings>(ClusterSettings.SectionName)
            .AddSingleton<IValidateOptions<ClusterSettings>, ClusterSettingsValidator>()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<ClusterSettings>>().Value;
    }

    private static ClusterSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();

    /// <summary>Each "Key=value" a setting; a key without a section is one of WsGame:Cluster.</summary>
    private static IConfiguration Configuration(params string[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(setting =>
        {
            var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
            return new KeyValuePair<string, string?>(key.Contains(':') ? key : $"{ClusterSettings.SectionName}:{key}", value);
        })).Build();
}
