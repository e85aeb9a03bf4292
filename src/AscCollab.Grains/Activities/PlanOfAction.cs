namespace AscCollab.Grains;

/// <summary>
/// The six components of the ASEAN Security Community Plan of Action (Vientiane, 2004) and the
/// areas of activity its text names under each. Wording follows the Plan; slugs are ours.
/// </summary>
public static class PlanOfAction
{
    public static IReadOnlyList<PlanComponent> Components { get; } =
    [
        new("political-development", 1, "Political Development"),
        new("shaping-and-sharing-of-norms", 2, "Shaping and Sharing of Norms"),
        new("conflict-prevention", 3, "Conflict Prevention"),
        new("conflict-resolution", 4, "Conflict Resolution"),
        new("post-conflict-peace-building", 5, "Post-conflict Peace Building"),
        new("implementing-mechanisms", 6, "Implementing Mechanisms"),
    ];

    public static IReadOnlyList<ActivityInfo> Activities { get; } =
    [
        Seed("common-political-values", "Nurturing common socio-political values and principles", "political-development",
            "Promote political development in support of the Leaders' shared vision and common values: peace, stability, democracy and prosperity."),
        Seed("peaceful-processes", "Relying exclusively on peaceful processes in settling intra-regional differences", "political-development",
            "Member countries rely exclusively on peaceful processes and do not condone unconstitutional and undemocratic changes of government."),
        Seed("asean-declaration-1967", "Strengthening the ASEAN Declaration of 1967", "shaping-and-sharing-of-norms",
            "Strengthen the founding ASEAN Declaration as a norm of good conduct."),
        Seed("zopfan", "Strengthening the ZOPFAN regime", "shaping-and-sharing-of-norms",
            "Strengthen the Zone of Peace, Freedom and Neutrality."),
        Seed("tac", "Strengthening the Treaty of Amity and Cooperation (TAC)", "shaping-and-sharing-of-norms",
            "The TAC is the key code of conduct governing relations between states in the region."),
        Seed("seanwfz", "Strengthening the SEANWFZ Treaty regime", "shaping-and-sharing-of-norms",
            "Renunciation of nuclear weapons and other weapons of mass destruction in Southeast Asia."),
        Seed("regional-legal-frameworks", "Developing regional legal frameworks", "shaping-and-sharing-of-norms",
            "Develop regional legal frameworks in support of the ASEAN Security Community."),
        Seed("south-china-sea-code-of-conduct", "Establishing a Code of Conduct in the South China Sea", "shaping-and-sharing-of-norms",
            "Work towards the adoption of a Code of Conduct in the South China Sea."),
        Seed("confidence-building-measures", "Strengthening confidence building measures", "conflict-prevention",
            "Strengthen confidence and trust within the Community."),
        Seed("preventive-diplomacy", "Carrying out preventive diplomacy", "conflict-prevention",
            "Mitigate tensions and prevent disputes from arising or escalating."),
        Seed("outstanding-regional-issues", "Resolving outstanding regional issues", "conflict-prevention",
            "Resolve outstanding regional issues before they become disputes."),
        Seed("non-traditional-security", "Enhancing cooperation on non-traditional security issues", "conflict-prevention",
            "Enhance security cooperation on non-traditional security issues."),
        Seed("regional-dispute-settlement", "Using the existing regional dispute settlement mechanisms and processes", "conflict-resolution",
            "Use the existing regional dispute settlement mechanisms and processes in the political and security areas."),
        Seed("innovative-modalities", "Innovative modalities to maintain regional peace and security", "conflict-resolution",
            "Work towards innovative modalities, including arrangements to maintain regional peace and security."),
        Seed("peace-building-mechanisms", "Establishing mechanisms and mobilising resources for peace building", "post-conflict-peace-building",
            "Establish appropriate mechanisms and mobilise resources for post-conflict peace building."),
        Seed("humanitarian-relief", "Humanitarian relief assistance", "post-conflict-peace-building",
            "Members assist each other with humanitarian relief in post-conflict peace building."),
        Seed("reconstruction-and-rehabilitation", "Reconstruction and rehabilitation", "post-conflict-peace-building",
            "Members assist each other with reconstruction and rehabilitation of conflict-torn areas."),
        Seed("amm-follow-up", "AMM follow-up measures, ad-hoc groups and new measures", "implementing-mechanisms",
            "The AMM takes follow-up measures, sets up ad-hoc groups and introduces new measures and activities."),
        Seed("annual-progress-report", "Annual report of progress to the ASEAN Summit", "implementing-mechanisms",
            "The AMM reports annually the progress of implementation to the ASEAN Summit."),
        Seed("monitoring-and-review", "Monitoring and reviewing the progress of implementation", "implementing-mechanisms",
            "The Secretary-General assists the ASEAN Chair in monitoring and reviewing progress; the AMM reviews it."),
    ];

    public static PlanComponent? FindComponent(string id) =>
        Components.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    public static ActivityInfo? FindActivity(string id) =>
        Activities.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal));

    private static ActivityInfo Seed(string id, string title, string component, string description) =>
        new(id, title, component, description, FromPlan: true);
}
