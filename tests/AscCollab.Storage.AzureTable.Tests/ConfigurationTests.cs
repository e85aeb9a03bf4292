using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AscCollab.Storage.AzureTable.Tests;

public sealed class ConfigurationTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(Action<AzureTableStorageOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureTableLogStorage("main", configure);
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WithTimeout());
    }

    [Fact]
    public async Task A_missing_connection_string_fails_the_start_and_names_the_setting()
    {
        var error = await StartFailsAsync(_ => { });

        Assert.Contains("ConnectionString is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("ASCCOLLAB_STORAGE", error.Message, StringComparison.Ordinal);
        Assert.Contains("'main'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_garbage_connection_string_fails_the_start_and_shows_the_expected_form()
    {
        var error = await StartFailsAsync(o => o.ConnectionString = "this is not a connection string");

        Assert.Contains("not a valid Azure Storage connection string", error.Message, StringComparison.Ordinal);
        Assert.Contains("TableEndpoint=", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("waytoolongprefixwaytoolongprefixwaytoolongprefixwaytoolong")]
    public async Task An_invalid_table_prefix_fails_the_start(string prefix)
    {
        var error = await StartFailsAsync(o =>
        {
            o.ConnectionString = AzuriteFixture.ConnectionStringFor(1);
            o.TablePrefix = prefix;
        });

        Assert.Contains("TablePrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_settings_out_of_range_fail_the_start()
    {
        var error = await StartFailsAsync(o =>
        {
            o.ConnectionString = AzuriteFixture.ConnectionStringFor(1);
            o.MaxAttempts = 0;
            o.InitialRetryDelay = TimeSpan.FromSeconds(2);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
            o.RequestTimeout = TimeSpan.Zero;
        });

        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("InitialRetryDelay <= MaxRetryDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_configured_by_name_elsewhere_are_the_ones_used()
    {
        // The options name is the storage name, so the host may bind them from its own configuration.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureTableLogStorage("main");
        builder.Services.AddOptions<AzureTableStorageOptions>("main").Configure(o => o.ConnectionString = "nonsense");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WithTimeout());
        Assert.Contains("not a valid Azure Storage connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_resolve_one_keyed_log_storage_per_name_and_the_probe()
    {
        var services = new ServiceCollection();
        services.AddAzureTableLogStorage("main", o => o.ConnectionString = AzuriteFixture.ConnectionStringFor(1));
        services.AddAzureTableLogStorage("audit", o =>
        {
            o.ConnectionString = AzuriteFixture.ConnectionStringFor(1);
            o.TablePrefix = "audit";
        });
        using var provider = services.BuildServiceProvider();

        var main = Assert.IsType<AzureTableLogStorage>(provider.GetRequiredKeyedService<ILogStorage>("main"));
        var audit = Assert.IsType<AzureTableLogStorage>(provider.GetRequiredKeyedService<ILogStorage>("audit"));
        Assert.NotSame(main, audit);
        Assert.Equal(("asccollabgrains", "auditgrains"), (main.Connection.TableName, audit.Connection.TableName));
        Assert.NotNull(provider.GetRequiredService<AzureTableHealthProbe>());
        Assert.Equal(2, provider.GetServices<TableConnection>().Count());
    }

    [Fact]
    public async Task The_probe_checks_the_tables_of_every_registered_storage()
    {
        var services = new ServiceCollection();
        services.AddAzureTableLogStorage("main", o =>
        {
            o.ConnectionString = AzuriteFixture.ConnectionStringFor(1);
            o.MaxAttempts = 1;
        });
        using var provider = services.BuildServiceProvider();

        // Port 1 answers nothing: the probe must have tried the registered table, not reported "nothing registered".
        var health = await provider.GetRequiredService<AzureTableHealthProbe>().CheckAsync(CancellationToken.None).WithTimeout();

        Assert.False(health.IsHealthy);
        Assert.Contains("asccollabgrains", health.Description, StringComparison.Ordinal);
    }
}
