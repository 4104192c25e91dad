// What jobs claim from the JobManager: a training run holds its device, an A/B test holds the CPU engine only when
// one of its endpoints is local, so a local A/B test and a CPU training run queue while HTTP tests run alongside.
#include <gtest/gtest.h>

#include "promptlab/ab_test_job.h"
#include "train/train_job.h"

using namespace ts;

namespace {

bool holdsExclusively(const ResourceClaims& claims, const std::string& name)
{
    for (const ResourceClaim& claim : claims)
        if (claim.name == name && claim.use == ResourceUse::Exclusive)
            return true;
    return false;
}

Endpoint endpointOf(llm::ProviderKind kind, const std::string& name)
{
    Endpoint e;
    e.name = name;
    e.provider.kind = kind;
    return e;
}

} // namespace

TEST(JobClaims, DeviceNamesSayWhatTheJobWaitsFor)
{
    EXPECT_EQ(computeDeviceClaim("cpu").name, "the CPU engine");
    EXPECT_EQ(computeDeviceClaim("cuda:1").name, "GPU cuda:1");
    EXPECT_EQ(computeDeviceClaim("cuda").name, "GPU cuda:0");
    EXPECT_EQ(computeDeviceClaim("cpu").use, ResourceUse::Exclusive);
    EXPECT_EQ(projectFileClaim().use, ResourceUse::Shared);
}

TEST(JobClaims, ATrainingRunOnTheCpuHoldsTheCpuEngineAndSharesTheProjectFile)
{
    TrainJobParams params;
    params.config.device = "cpu";
    TrainJob job(params);
    const ResourceClaims claims = job.resources();
    EXPECT_TRUE(holdsExclusively(claims, "the CPU engine"));
    EXPECT_NE(std::find(claims.begin(), claims.end(), projectFileClaim()), claims.end());
}

TEST(JobClaims, AnAbTestHoldsTheCpuEngineOnlyWithALocalEndpoint)
{
    const std::vector<Endpoint> http {endpointOf(llm::ProviderKind::OpenAiCompatible, "gpt"),
                                      endpointOf(llm::ProviderKind::Anthropic, "claude")};
    EXPECT_TRUE(abTestClaims(http).empty());
    std::vector<Endpoint> mixed = http;
    mixed.push_back(endpointOf(llm::ProviderKind::Local, "local-demo"));
    AbTestParams params;
    params.claims = abTestClaims(mixed);
    AbTestJob local(params);
    EXPECT_TRUE(holdsExclusively(local.resources(), "the CPU engine"));
    AbTestParams remote;
    remote.claims = abTestClaims(http);
    AbTestJob overHttp(remote);
    EXPECT_FALSE(holdsExclusively(overHttp.resources(), "the CPU engine"));
}
