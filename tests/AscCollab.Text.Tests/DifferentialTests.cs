using Xunit.Abstractions;

namespace AscCollab.Text.Tests;

/// <summary>
/// Compares this implementation with npm ot-text-unicode 4.0.0 on thousands of seeded random
/// cases. Package answers are raw JSON: ops as JSON.stringify printed them (so ToJson is compared
/// byte for byte), documents ASCII-escaped, failures as {"error":...}.
/// </summary>
public sealed class DifferentialTests(DifferentialFixture fixture, ITestOutputHelper output) : IClassFixture<DifferentialFixture>
{
    [Fact]
    public void Apply_matches_the_package() => Compare("applyA", "applyB", (c, key) =>
        TestJson.Quote(TextOperation.Parse(key == "applyA" ? c.A : c.B).Apply(c.Document)));

    [Fact]
    public void Normalisation_of_valid_ops_matches_the_package() => Compare("normA", c => TextOperation.Parse(c.A).ToJson());

    [Fact]
    public void Transform_left_and_right_matches_the_package() => Compare("aLeft", "aRight", "bLeft", "bRight", (c, key) =>
    {
        var (op, other) = key[0] == 'a' ? (c.A, c.B) : (c.B, c.A);
        var side = key.EndsWith("Left", StringComparison.Ordinal) ? TransformSide.Left : TransformSide.Right;
        return TextOperation.Transform(TextOperation.Parse(op), TextOperation.Parse(other), side).ToJson();
    });

    [Fact]
    public void Compose_matches_the_package() => Compare("composeAC", c =>
        TextOperation.Compose(TextOperation.Parse(c.A), TextOperation.Parse(c.C)).ToJson());

    [Fact]
    public void Applying_a_composition_matches_applying_both_in_the_package() => Compare("applyAC", c =>
        TestJson.Quote(TextOperation.Compose(TextOperation.Parse(c.A), TextOperation.Parse(c.C)).Apply(c.Document)));

    [Fact]
    public void TransformPosition_matches_the_package() => Compare("posA", "posB", (c, key) =>
        TextOperation.TransformPosition(c.Cursor, TextOperation.Parse(key == "posA" ? c.A : c.B)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Invert_matches_invertWithDoc_in_the_package() => Compare("invA", c =>
        Attempt(() => TextOperation.Parse(c.A).Invert(c.Document).ToJson()));

    [Fact]
    public void Strict_parse_accepts_and_rejects_what_checkOp_and_normalize_do() => Compare("strict", c =>
        Attempt(() => TextOperation.Parse(c.Raw).ToJson()), allowRejection: c => c.RawHasJsArtefact);

    [Fact]
    public void Lenient_parse_accepts_and_rejects_what_normalize_then_checkOp_do() => Compare("lenient", c =>
        Attempt(() => TextOperation.ParseLenient(c.Raw, TextLimits.Default).ToJson()), allowRejection: c => c.RawHasJsArtefact);

    [Fact]
    public void Apply_of_ops_that_may_not_fit_matches_the_package_or_refuses_a_delete_past_the_end() => Compare("misfit", c =>
        Attempt(() => TestJson.Quote(TextOperation.Parse(c.Misfit).Apply(c.Document))), allowRejection: c =>
        {
            // The package silently clamps a delete that runs past the end; we refuse it.
            var op = TextOperation.Parse(c.Misfit);
            return op.Components.Where(x => x is not Insert).Sum(x => x.Length) > CodePoints.Length(c.Document);
        });

    private static string Attempt(Func<string> run)
    {
        try
        {
            return run();
        }
        catch (InvalidTextOperationException e)
        {
            return "error: " + e.Message;
        }
    }

    private void Compare(string key, Func<DifferentialCase, string> ours, Func<DifferentialCase, bool>? allowRejection = null) =>
        Compare([key], (c, _) => ours(c), allowRejection);

    private void Compare(string key1, string key2, Func<DifferentialCase, string, string> ours) =>
        Compare([key1, key2], ours, null);

    private void Compare(string key1, string key2, string key3, string key4, Func<DifferentialCase, string, string> ours) =>
        Compare([key1, key2, key3, key4], ours, null);

    private void Compare(string[] keys, Func<DifferentialCase, string, string> ours, Func<DifferentialCase, bool>? allowRejection)
    {
        var failures = new List<string>();
        int compared = 0, bothRejected = 0, refusedOnPurpose = 0;
        foreach (var c in fixture.Cases)
        {
            foreach (var key in keys)
            {
                compared++;
                var expected = c.Package[key];
                var packageRejected = expected.StartsWith("{\"error\":", StringComparison.Ordinal);
                string actual;
                try
                {
                    actual = ours(c, key);
                }
                catch (Exception e)
                {
                    actual = $"threw {e.GetType().Name}: {e.Message}";
                }

                var weRejected = actual.StartsWith("error: ", StringComparison.Ordinal);
                if (packageRejected && weRejected)
                {
                    bothRejected++;
                }
                else if (!packageRejected && weRejected && allowRejection?.Invoke(c) == true)
                {
                    refusedOnPurpose++;
                }
                else if (actual != expected && failures.Count < 10)
                {
                    failures.Add($"{key} doc={TestJson.Quote(c.Document)} a={c.A} b={c.B} c={c.C} cursor={c.Cursor} raw={c.Raw} misfit={c.Misfit}\n  package: {expected}\n  ours:    {actual}");
                }
                else if (actual != expected)
                {
                    failures.Add("…");
                }
            }
        }

        output.WriteLine($"{string.Join("/", keys)}: {compared} comparisons with the npm package (seed {DifferentialFixture.Seed}), {bothRejected} rejected by both, {refusedOnPurpose} refused on purpose, {failures.Count} mismatches.");
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches with ot-text-unicode:\n{string.Join("\n", failures.Take(10))}");
    }
}
