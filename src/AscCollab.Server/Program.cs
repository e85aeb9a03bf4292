using System.Reflection;
using AscCollab.Server;

IConfiguration? configuration = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    configuration = builder.Configuration;

    builder.AddGrains();
    builder.AddAuth();
    builder.AddApi();
    builder.AddHealth();
    builder.AddRuntimeMetrics();
    builder.AddLive();
    builder.AddReceipts();

    var app = builder.Build();

    app.UseApi();

    app.MapHealth();
    app.MapErrorPages();
    app.MapDevToken();
    app.MapMembers();
    app.MapActivities();
    app.MapGroups();
    app.MapProposals();
    app.MapDrafting();
    app.MapAnnotations();
    app.MapChairmanship();
    app.MapProgress();
    app.MapIntegrity();
    app.MapReports();
    app.MapRuntimeMetrics();
    app.MapLive();
    app.MapReceipts();

    // Orleans, started against unreachable storage, waits minutes and aborts: fail at once instead.
    await StartupChecks.StorageReachableAsync(app.Configuration);
    await app.RunAsync();
    return 0;
}
// Only when this is the process's own entry point: a test host (WebApplicationFactory) gets the exception.
catch (Exception ex) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly && StartupChecks.Describe(ex, configuration) is { } reason)
{
    await Console.Error.WriteLineAsync($"AscCollab could not start: {reason}");
    return 1;
}

public partial class Program;
