using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AscCollab.Storage.AzureTable.Tests;

public sealed class ConfigurationTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(Action<AzureTableStorageOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureTableGrainStorage("main", configure);
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
    public async Task The_reminder_table_is_validated_too()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAzureTableReminderTable(o => o.MaxAttempts = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WithTimeout());
        Assert.Contains("ConnectionString is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_resolve_the_keyed_storage_the_reminder_table_and_the_probe()
    {
        var services = new ServiceCollection();
        services.AddAzureTableGrainStorage("main", o => o.ConnectionString = AzuriteFixture.ConnectionStringFor(1));
        services.AddAzureTableGrainStorage("audit", o => o.ConnectionString = AzuriteFixture.ConnectionStringFor(1));
        services.AddAzureTableReminderTable(o => o.ConnectionString = AzuriteFixture.ConnectionStringFor(1));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<AzureTableGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("main"));
        Assert.NotSame(provider.GetRequiredKeyedService<IGrainStorage>("main"), provider.GetRequiredKeyedService<IGrainStorage>("audit"));
        Assert.IsType<AzureTableReminderTable>(provider.GetRequiredService<IReminderTable>());
        Assert.NotNull(provider.GetRequiredService<AzureTableHealthProbe>());
    }
}
