using System.Globalization;
using System.Net.Http.Json;
using AscCollab.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AscCollab.Web.Tests;

public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_chair_circulates_records_adoption_and_downloads_the_annual_report_from_the_dashboard()
    {
        using var my = await _server.ClientFor("MY");
        var title = "Annual ASEAN security outlook " + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateProposal(my, title, "Members publish an annual security outlook.");

        var (_, chair) = await SignIn(AscCollabApp.Chair, "chair");
        var row = chair.Locator($"#matrix tr[data-proposal='{id}']");
        await Expect(row).ToContainTextAsync("Drafting").WithTimeout();
        await chair.Locator("#manage-proposal").SelectOptionAsync(id).WithTimeout();
        await chair.Locator($"#dash-{id}-rule").SelectOptionAsync("NoObjection").WithTimeout();
        await chair.Locator($"#dash-{id}-quorum").FillAsync("1").WithTimeout();
        var deadline = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        await chair.Locator($"#dash-{id}-deadline").FillAsync(deadline).WithTimeout();
        await chair.Locator("#manage").GetByRole(AriaRole.Button, new() { Name = "Circulate", Exact = true }).ClickAsync().WithTimeout();
        await Expect(row).ToContainTextAsync("Under Consideration").WithTimeout();
        var circulated = await ServerProposal(id);
        Assert.Equal("NoObjection", circulated["summary"]!["rule"]!["kind"]!.GetValue<string>());
        Assert.StartsWith(deadline, circulated["summary"]!["deadline"]!.GetValue<string>(), StringComparison.Ordinal);

        // Malaysia concurs (quorum 1, no objection): consensus, pushed to the dashboard.
        var revision = circulated["revision"]!.GetValue<long>();
        var signed = await my.PutAsJsonAsync($"/api/proposals/{id}/sign-offs/MY", new { position = "Concur", revision }).WithTimeout();
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        await Expect(row.Locator("td[data-member='MY']")).ToHaveAttributeAsync("data-position", "Concur").WithTimeout();
        await Expect(row).ToContainTextAsync("Consensus Reached").WithTimeout();

        await chair.Locator("#manage-proposal").SelectOptionAsync(id).WithTimeout();
        await chair.Locator($"#dash-{id}-occasion").FillAsync("59th ASEAN Ministerial Meeting").WithTimeout();
        await chair.Locator("#manage").GetByRole(AriaRole.Button, new() { Name = "Record adoption" }).ClickAsync().WithTimeout();
        await Expect(row).ToContainTextAsync("Adopted").WithTimeout();
        Assert.Equal("Adopted", (await ServerProposal(id))["status"]!.GetValue<string>());

        await chair.Locator("#report-year").FillAsync(DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture)).WithTimeout();
        var download = await chair.RunAndWaitForDownloadAsync(() => chair.Locator("#report-markdown").ClickAsync()).WithTimeout();
        var path = await download.PathAsync().WithTimeout();
        var report = await File.ReadAllTextAsync(path).WithTimeout();
        Assert.Contains(title, report, StringComparison.Ordinal);
        Assert.EndsWith(".md", download.SuggestedFilename, StringComparison.Ordinal);
    }
}
