import { startTestMock } from 'lean-mock/testing';

/**
 * Starts ONE mock for the run. Test files run in workers and cannot share the mock object, so
 * they get what a client needs: the URLs, the app token and the PEMs of the identities they use.
 */
export default async function setup(project) {
  const mock = await startTestMock();
  const { my_app, expired } = mock.identities;
  project.provide('lean', {
    url: mock.url,
    adminUrl: mock.adminUrl,
    appToken: mock.appToken,
    identities: { my_app, expired },
  });
  return () => mock.close();
}
