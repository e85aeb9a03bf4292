using AscCollab.Testing;
using Microsoft.Playwright;

namespace AscCollab.Web.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), and one server for the
/// test class, started on first use with the collection's Azurite and stopped with the fixture.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly SemaphoreSlim _serverGate = new(1, 1);
    private IPlaywright? _playwright;
    private AscCollabApp? _server;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium; scripts/test.sh does).");
        }
        _playwright = await Playwright.CreateAsync().WithTimeout();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        }).WithTimeout(TimeSpan.FromSeconds(90));
    }

    /// <summary>The class's server on <paramref name="azurite"/>; started once.</summary>
    public async Task<AscCollabApp> Server(AzuriteFixture azurite)
    {
        await _serverGate.WaitAsync(TestTimeouts.Default);
        try
        {
            if (_server is null)
            {
                var server = new AscCollabApp(azurite);
                await Task.Run(server.ServeOnLoopback).WithTimeout(TimeSpan.FromSeconds(60));
                _server = server;
            }
            return _server;
        }
        finally
        {
            _serverGate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WithTimeout();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().AsTask().WithTimeout();
        }
        _serverGate.Dispose();
    }
}
