using System.Reflection;
using System.Text.Json;
using AscCollab.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Every type that crosses a grain boundary goes through Orleans' serializer and copier intact.
/// A type without a codec compiles but stops the silo (or the call) at run time; these tests find it first.
/// </summary>
public sealed class SerializationTests
{
    [Fact]
    public async Task Every_type_in_a_grain_contract_has_a_serializer_and_a_copier()
    {
        await using var host = await GrainsHost.StartAsync();
        var serializer = host.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copiers = host.Client.ServiceProvider.GetRequiredService<Orleans.Serialization.Serializers.ICodecProvider>();
        var types = ContractTypes();
        Assert.Contains(typeof(TextOperation), types);
        Assert.Contains(typeof(EditCommitted), types);
        Assert.Contains(typeof(ProgressOverview), types);
        var missing = types.Where(t => !serializer.CanSerialize(t) || copiers.GetDeepCopier(t) is null).Select(t => t.FullName).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Contract_values_of_a_whole_scenario_round_trip_unchanged()
    {
        await using var host = await GrainsHost.StartAsync();
        var serializer = host.Client.ServiceProvider.GetRequiredService<Serializer>();
        var group = await Drafts.Group(host, "PH", "PH", "VN", "SG");
        var id = await Drafts.Create(host, Callers.Delegate("PH"), group);
        var proposal = host.Proposal(id);
        var ack = await proposal.SubmitTrackedEdit(Callers.Delegate("VN"), 0, TextOperation.Insert(0, "Draft \U0001F30F: "), "op-1").Within();
        await Drafts.Circulate(host, id, ConsensusRuleKind.NoObjection, quorum: 2);
        await Drafts.Sign(host, id, "SG", Position.Object, "Not yet.");
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<ProgressChanged>().Any() && host.EventsOf<MemberToDoChanged>().Any() && host.EventsOf<EditCommitted>().Any()), "events are pushed");

        object[] values =
        [
            Callers.Chair with { Session = "conn-1" },
            new NewProposal(Drafts.Activity, "t", "x", group),
            new Circulation(new ConsensusRule(ConsensusRuleKind.SilenceProcedure), GrainsHost.Start),
            new SignOffRequest("VN", Position.Concur, null, 3),
            new GroupCharter("g", "m", ["PH", "VN"], "PH", [Drafts.Activity]),
            ack,
            await proposal.Open(Callers.Chair).Within(),
            await proposal.Get(Callers.Chair).Within(),
            await proposal.GetEditsSince(Callers.Chair, 0).Within(),
            await proposal.GetTextAt(Callers.Chair, 0).Within(),
            await proposal.GetAudit(Callers.Chair).Within(),
            await proposal.VerifyAudit(Callers.Chair).Within(),
            await proposal.Watch(host.Observer).Within(),
            await host.Group(group).Get().Within(),
            await host.Group(group).GetConsensus(Callers.Chair).Within(),
            await host.Member("SG").GetToDo(Callers.Delegate("SG")).Within(),
            await host.Member("VN").GetInfo().Within(),
            await host.Progress.GetOverview(Callers.Chair).Within(),
            await host.Progress.GetAnnualReport(Callers.Chair, 2026).Within(),
            new NodePresence(id, "node-1", [new PresentEditor("VN", "c1", 1, 3, 1)], [new PresentMember("VN", 1)], 1, Audience.Of(["VN"]), GrainsHost.Start),
            .. host.Events,
        ];
        foreach (var value in values)
        {
            var copy = RoundTrip(serializer, value);
            Assert.Equal(value.GetType(), copy.GetType());
            Assert.Equal(Json(value), Json(copy));
        }
    }

    [Fact]
    public async Task A_text_operation_round_trips_exactly_even_with_a_lone_surrogate()
    {
        await using var host = await GrainsHost.StartAsync();
        var serializer = host.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copier = host.Client.ServiceProvider.GetRequiredService<DeepCopier>();
        TextOperation[] ops =
        [
            TextOperation.Empty,
            TextOperation.Insert(3, "a\U0001F30Fb"),
            TextOperation.Insert(0, "lone \uD83C here"),
            TextOperation.Parse("""[2, "x", {"d": 3}]""", TextLimits.Default),
        ];
        foreach (var op in ops)
        {
            var copy = serializer.Deserialize<TextOperation>(serializer.SerializeToArray(op))!;
            Assert.Equal(op, copy);
            Assert.Equal(op.ToJson(), copy.ToJson());
            Assert.Same(op, copier.Copy(op));
        }
    }

    [Fact]
    public async Task A_domain_exception_keeps_its_code_and_message_in_the_serializer_and_across_a_call()
    {
        await using var host = await GrainsHost.StartAsync();
        var serializer = host.Client.ServiceProvider.GetRequiredService<Serializer>();
        var original = new DomainException(DomainErrorCodes.StaleRevision, "Base revision 9 is outside 0..1.");
        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(original));
        var domain = Assert.IsType<DomainException>(copy);
        Assert.Equal((original.Code, original.Message), (domain.Code, domain.Message));

        // And as one edit's outcome in a SubmitEdits answer (a field of type Exception), between nodes.
        var outcome = serializer.Deserialize<EditOutcome>(serializer.SerializeToArray(new EditOutcome(null, original)))!;
        var carried = Assert.IsType<DomainException>(outcome.Error);
        Assert.Equal((original.Code, original.Message), (carried.Code, carried.Message));
        Assert.Null(outcome.Ack);

        // And as a grain call's refusal, from the silo to the client.
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        var refused = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), -9, TextOperation.Insert(0, "x")).Within());
        Assert.Equal(DomainErrorCodes.StaleRevision, refused.Code);
        Assert.Contains("outside", refused.Message, StringComparison.Ordinal);
    }

    private static object RoundTrip(Serializer serializer, object value) =>
        serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), StateJson.Options);

    /// <summary>The parameter and return types of every grain interface of AscCollab.Grains, with the types they are made of.</summary>
    private static HashSet<Type> ContractTypes()
    {
        var found = new HashSet<Type>();
        var grains = typeof(IProposalGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));
        foreach (var method in grains.SelectMany(g => g.GetMethods()))
        {
            Add(method.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }
        }
        return found;

        void Add(Type type)
        {
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)
                || type.GetGenericTypeDefinition() == typeof(Nullable<>) || type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)))
            {
                Add(type.GetGenericArguments()[0]);
                return;
            }
            if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void) || type.IsPrimitive || type == typeof(string)
                || typeof(IAddressable).IsAssignableFrom(type) || !found.Add(type))
            {
                return;
            }
            if (type.Assembly == typeof(IProposalGrain).Assembly)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    Add(property.PropertyType);
                }
                foreach (var derived in typeof(IProposalGrain).Assembly.GetTypes().Where(t => t != type && type.IsAssignableFrom(t) && !t.IsAbstract))
                {
                    Add(derived);
                }
            }
        }
    }
}
