// Stands in for dockerode/lib/buildkit.js (protobuf decoding of BuildKit progress), reached only through
// `docker.followProgress`, which Compose Blueprint never calls. See dockerode-session.cjs.
module.exports = {
  followProgress() {
    throw new Error('BuildKit progress decoding is not part of the Compose Blueprint bundle (dockerode followProgress)');
  },
};
