using AscCollab.Server;

var builder = WebApplication.CreateBuilder(args);

builder.AddGrains();
builder.AddAuth();
builder.AddApi();
builder.AddRuntimeMetrics();
builder.AddLive();

var app = builder.Build();

app.UseApi();

app.MapHealth();
app.MapDevToken();
app.MapMembers();
app.MapActivities();
app.MapGroups();
app.MapProposals();
app.MapChairmanship();
app.MapProgress();
app.MapReports();
app.MapRuntimeMetrics();
app.MapLive();

app.Run();

public partial class Program;
