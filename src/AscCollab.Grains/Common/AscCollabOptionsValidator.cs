using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

internal sealed partial class AscCollabOptionsValidator : IValidateOptions<AscCollabOptions>
{
    public ValidateOptionsResult Validate(string? name, AscCollabOptions options)
    {
        var failures = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in options.Members)
        {
            if (!MemberCode().IsMatch(member.Code ?? ""))
            {
                failures.Add($"AscCollab:Members: '{member.Code}' is not an upper-case ISO 3166-1 alpha-2 code.");
            }
            if (string.IsNullOrWhiteSpace(member.Name))
            {
                failures.Add($"AscCollab:Members: member '{member.Code}' has no name.");
            }
            if (!codes.Add(member.Code ?? ""))
            {
                failures.Add($"AscCollab:Members: '{member.Code}' is listed twice.");
            }
        }
        if (!SecretariatCode().IsMatch(options.SecretariatCode ?? "") || codes.Contains(options.SecretariatCode ?? ""))
        {
            failures.Add("AscCollab:SecretariatCode must be 2-8 upper-case letters and not a member code.");
        }

        var terms = options.Chairmanship.OrderBy(t => t.From).ToList();
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (!codes.Contains(term.Member ?? ""))
            {
                failures.Add($"AscCollab:Chairmanship: '{term.Member}' is not a member.");
            }
            if (term.To <= term.From)
            {
                failures.Add($"AscCollab:Chairmanship: the term of '{term.Member}' ends before it starts.");
            }
            if (i > 0 && terms[i - 1].To > term.From)
            {
                failures.Add($"AscCollab:Chairmanship: the terms of '{terms[i - 1].Member}' and '{term.Member}' overlap.");
            }
        }

        var limits = options.Limits;
        if (limits is null)
        {
            failures.Add("AscCollab:Limits is required.");
        }
        else
        {
            Check(failures, nameof(limits.MaxTitleLength), limits.MaxTitleLength, 1, 1_000);
            Check(failures, nameof(limits.MaxTextCodePoints), limits.MaxTextCodePoints, 1, 200_000);
            Check(failures, nameof(limits.MaxOpCodePoints), limits.MaxOpCodePoints, 1, 200_000);
            Check(failures, nameof(limits.MaxOpComponents), limits.MaxOpComponents, 1, 100_000);
            Check(failures, nameof(limits.MaxReasonLength), limits.MaxReasonLength, 1, 10_000);
            Check(failures, nameof(limits.MaxMandateLength), limits.MaxMandateLength, 1, 10_000);
            Check(failures, nameof(limits.MaxRevisionsBehind), limits.MaxRevisionsBehind, 1, 1_000_000);
            Check(failures, nameof(limits.RecentOpsInMemory), limits.RecentOpsInMemory, 1, 100_000);
            Check(failures, nameof(limits.MaxRowsPerCommit), limits.MaxRowsPerCommit, 2, 99);
            Check(failures, nameof(limits.MaxCharsPerCommit), limits.MaxCharsPerCommit, 1_000, 1_500_000);
            Check(failures, nameof(limits.CommitLingerMilliseconds), limits.CommitLingerMilliseconds, 0, 50);
            Check(failures, nameof(limits.StructureCheckMilliseconds), limits.StructureCheckMilliseconds, 0, 10_000);
            Check(failures, nameof(limits.RecentOpIds), limits.RecentOpIds, 0, 100_000);
            Check(failures, nameof(limits.RepairWindowSeconds), limits.RepairWindowSeconds, 30, 3_600);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"AscCollab:Limits:{name} must be between {min} and {max} (is {value}).");
        }
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex MemberCode();

    [GeneratedRegex("^[A-Z]{2,8}$")]
    private static partial Regex SecretariatCode();
}
