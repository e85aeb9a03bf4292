using System.Globalization;

namespace AscCollab.Grains;

/// <summary>What a circulation must name: a quorum only for no-objection, a future deadline for the silence procedure.</summary>
public static class CirculationRules
{
    public static void ValidateCirculation(Circulation? circulation, int participants, DateTimeOffset now)
    {
        if (circulation?.Rule is null)
        {
            throw DomainException.InvalidInput("A circulation names its consensus rule.");
        }
        var rule = circulation.Rule;
        if (!Enum.IsDefined(rule.Kind))
        {
            throw DomainException.InvalidInput($"'{rule.Kind}' is not a consensus rule.");
        }
        if (rule.Kind == ConsensusRuleKind.NoObjection)
        {
            if (rule.Quorum is not { } quorum || quorum < 1 || quorum > participants)
            {
                throw DomainException.InvalidInput($"No-objection needs a quorum between 1 and {participants} concurrences.");
            }
        }
        else if (rule.Quorum is not null)
        {
            throw DomainException.InvalidInput("Only the no-objection rule takes a quorum.");
        }
        if (rule.Kind == ConsensusRuleKind.SilenceProcedure && circulation.Deadline is null)
        {
            throw DomainException.InvalidInput("The silence procedure needs a deadline.");
        }
        if (circulation.Deadline is { } deadline)
        {
            ValidateDeadline(deadline, now);
        }
    }

    public static void ValidateDeadline(DateTimeOffset deadline, DateTimeOffset now)
    {
        if (deadline <= now)
        {
            throw DomainException.InvalidInput("The deadline must be in the future.");
        }
        if (deadline > now.AddYears(5))
        {
            throw DomainException.InvalidInput("The deadline must be within five years.");
        }
    }

    public static string Describe(Circulation circulation) =>
        circulation.Rule.Kind switch
        {
            ConsensusRuleKind.NoObjection => $"no objection, quorum {circulation.Rule.Quorum}",
            ConsensusRuleKind.SilenceProcedure => "silence procedure",
            _ => "unanimity",
        } + (circulation.Deadline is { } d ? ", deadline " + d.ToString("O", CultureInfo.InvariantCulture) : "");
}
