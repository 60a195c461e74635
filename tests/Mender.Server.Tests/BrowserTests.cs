using Microsoft.Playwright;

namespace Mender.Server.Tests;

/// <summary>
/// The page end to end in headless Chromium against the server on a real loopback port: choose a user, type a
/// preference, ask, and see the items arrive from the streamed chat API. Saves a screenshot beside the test binary.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserTests(TrainedCheckpoint checkpoint)
{
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "mender-page.png");

    public static string ReasoningScreenshotPath => Path.Combine(AppContext.BaseDirectory, "mender-page-reasoning.png");

    [ChromiumFact]
    public async Task ThePageShowsRecommendationsForAUserAndAPreference()
    {
        await using var host = await TestHost.LoopbackAsync(new ServerOptions { Service = checkpoint.Service });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);

        await AskAsync(page, host, reasoning: false);

        var rows = page.Locator("#items li.item");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#used")).ToContainTextAsync("fragrance-free moisturizer");
        await Assertions.Expect(page.Locator("#submit")).ToBeEnabledAsync();
        var ids = checkpoint.Dataset.Items.Select(i => i.ExternalId).ToHashSet();
        foreach (var id in await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.itemId)"))
            Assert.Contains(id, ids);
        Assert.True(await page.Locator("#error").IsHiddenAsync());

        // A second turn refines the first: both are sent, and the answer names the preference they add up to.
        await page.FillAsync("#preference", "no glitter");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#used")).ToContainTextAsync("fragrance-free moisturizer; avoids glitter");
        await Assertions.Expect(page.Locator("#turns li")).ToHaveCountAsync(2);
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        Assert.Empty(errors);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 0);
    }

    [ChromiumFact(NeedsSharedData = true)]
    public async Task WithReasoningThePageShowsTheThoughtThenTheItems()
    {
        using var service = Mender.Service.RecommendationService.Open(new Mender.Service.RecommendationServiceOptions
        {
            Checkpoint = checkpoint.Checkpoint,
            ModelPath = SharedData.PathOf("models/tiny/stories260K.gguf"),
            Threads = 1,
        });
        await using var host = await TestHost.LoopbackAsync(new ServerOptions { Service = service });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 1000 } });

        await AskAsync(page, host, reasoning: true);

        await Assertions.Expect(page.Locator("#items li.item")).ToHaveCountAsync(6, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#thought")).ToContainTextAsync("</think>");
        await Assertions.Expect(page.Locator("#thinking")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ReasoningScreenshotPath, FullPage = true });
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ChromiumFactAttribute.ExecutablePath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });

    /// <summary>Waits for the page to be ready, chooses a user, types a preference and asks for six items.</summary>
    private async Task AskAsync(IPage page, TestHost host, bool reasoning)
    {
        await page.GotoAsync(host.Address.ToString());
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("users");
        var user = checkpoint.Dataset.Users[4].ExternalId;
        await page.Locator($"#user option[value='{user}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#user", user);
        await Assertions.Expect(page.Locator("#recent .chip").First).ToBeVisibleAsync();
        await page.FillAsync("#preference", "fragrance-free moisturizer");
        await page.FillAsync("#k", "6");
        if (reasoning) await page.Locator(".toggle").ClickAsync();
        Assert.Equal(reasoning, await page.IsCheckedAsync("#reasoning"));
        await page.ClickAsync("#submit");
    }
}
