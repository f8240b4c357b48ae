// The class lives with the use cases, which refuse requests with it; routes and middleware keep importing it here.
export * from '../../../use-cases/app-error';
